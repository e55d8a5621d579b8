package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.train.RunFolder;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.eval.classifier.FeatureClassifier;
import org.genlab.eval.prompt.EditAccuracy;
import org.genlab.pipelines.edit.Edit;
import org.genlab.pipelines.edit.Editor;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.text.tokenizer.Tokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab edit}: repaint regions of a canvas with prompts, one after another (GLIDE). */
@Command(
        name = "edit",
        mixinStandardHelpOptions = true,
        description = {
            "Edit a canvas of 2×2 cells with a text-conditional run (genlab train diffusion"
                    + " --text), one prompt at a time, as GLIDE's sequential edits: each --edit"
                    + " repaints a cell (or a region of it) and leaves every other pixel as it"
                    + " was. Writes the steps as a strip PNG and a GIF.",
            "Example: genlab edit --run runs/text-mnist --edit 'top-left=a bold 3' --edit"
                    + " 'bottom-right=a thin 4' --edit 'bottom-right:top=a small 7'",
            "With --evaluate N it instead runs N random edits of test-digit canvases and reports"
                    + " how often the repainted cell matches its prompt."
        })
public final class EditCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "A text-conditional diffusion run.")
    Path run;

    @Option(
            names = "--edit",
            description =
                    "CELL[:REGION]=PROMPT, repeatable, applied in order. CELL: top-left, top-right,"
                            + " bottom-left, bottom-right or ROW,COL; REGION: cell (default),"
                            + " left, right, top, bottom, center or box:x,y,w,h.")
    List<String> edits;

    @Option(
            names = "--canvas",
            defaultValue = "blank",
            description =
                    "The start: blank (default), test (four test images, chosen by --seed) or a"
                            + " PNG of 2×2 cells.")
    String canvas;

    @Option(
            names = "--guidance",
            defaultValue = "3",
            description = "Classifier-free guidance weight w (default 3).")
    float guidance;

    @Option(names = "--steps", defaultValue = "50", description = "Sampler steps (default 50).")
    int steps;

    @Option(
            names = "--resample",
            defaultValue = "5",
            description = "RePaint resamplings r (default 5).")
    int resample;

    @Option(
            names = "--evaluate",
            description = "Run this many random edits of test canvases and score them.")
    Integer evaluate;

    @Option(
            names = "--out",
            description = "Strip PNG (default RUN/samples/edits.png; the GIF beside it).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (evaluate == null && (edits == null || edits.isEmpty())) {
            throw new GenLabException(
                    "Give at least one --edit 'CELL=PROMPT' (e.g. --edit 'bottom-right=a thin 4'),"
                            + " or --evaluate N.");
        }
        if (!canvas.matches("blank|test") && !Files.isRegularFile(Path.of(canvas))) {
            throw new GenLabException(
                    "--canvas is blank, test or a PNG file; there is no file " + canvas + ".");
        }
        RunFolder folder = RunFolder.open(run);
        Tokenizer tok = TextConditioning.tokenizer(folder.config());
        int len = TextConditioning.maxLength(folder.config());
        List<Edit> parsed = new ArrayList<>();
        if (edits != null) {
            for (String e : edits) {
                Edit ed = Edit.parse(e, 2, 2);
                tok.encode(ed.prompt(), len); // an unknown word stops here, before any work
                parsed.add(ed);
            }
        }
        long seed = GlobalOptions.seed();
        String dataset = folder.config().get("dataset");
        PrintWriter w = command.commandLine().getOut();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                TrainedModel model = TrainedModel.open(folder, m, true)) {
            Editor editor =
                    Editor.builder()
                            .setModel(model)
                            .setTokenizer(p -> tok.encode(p, len))
                            .optGuidance(guidance)
                            .optSteps(steps, resample)
                            .optSeed(seed)
                            .build();
            CaptionedImages test =
                    CaptionedImages.of(
                            ImageDataset.builder().setName(dataset).optSplit(Split.TEST).build());
            Shape cell = model.imageShape();
            if (evaluate != null) {
                try (FeatureClassifier fc =
                        FeatureClassifier.obtain(dataset, null, m.getDevice(), System.out)) {
                    EditAccuracy.Result r =
                            EditAccuracy.evaluate(editor, fc, test, evaluate, seed, m);
                    w.printf(Locale.ROOT, "Edits with %s at w = %.1f: %s.%n", run, guidance, r);
                }
                return 0;
            }
            NDArray start;
            if ("blank".equals(canvas)) {
                start = Editor.blank(m, cell, 2, 2);
            } else if ("test".equals(canvas)) {
                java.util.Random r = new java.util.Random(seed);
                int[] idx = new int[4];
                for (int i = 0; i < 4; i++) {
                    idx[i] = r.nextInt(test.size());
                }
                NDArray four = test.data().samples(m, idx);
                start =
                        four.get(0)
                                .concat(four.get(1), 2)
                                .concat(four.get(2).concat(four.get(3), 2), 1)
                                .expandDims(0);
            } else {
                java.awt.image.BufferedImage png = PngWriter.read(Path.of(canvas));
                if (png.getWidth() != 2 * cell.get(2) || png.getHeight() != 2 * cell.get(1)) {
                    throw new GenLabException(
                            canvas
                                    + " is "
                                    + png.getWidth()
                                    + "×"
                                    + png.getHeight()
                                    + "; a 2×2 canvas for this model is "
                                    + 2 * cell.get(2)
                                    + "×"
                                    + 2 * cell.get(1)
                                    + ".");
                }
                start = ImageTensors.toTensor(m, List.of(png), (int) cell.get(0));
            }
            long t0 = System.nanoTime();
            List<NDArray> frames = editor.run(start, parsed);
            double secs = (System.nanoTime() - t0) / 1e9;
            List<String> titles = new ArrayList<>();
            titles.add("start (" + canvas + ")");
            for (Edit e : parsed) {
                titles.add(e.toString());
            }
            Path file = out != null ? out : folder.samplesDir().resolve("edits.png");
            Provenance prov =
                    Provenance.builder()
                            .optModel("text-conditional diffusion, RePaint edits")
                            .optRun(run.getFileName().toString())
                            .optSeed(seed)
                            .opt("edits", String.join(" | ", edits))
                            .opt("guidance", Float.toString(guidance))
                            .build();
            PngWriter.write(Editor.strip(frames, titles, 4), file, prov);
            Path gif =
                    file.resolveSibling(
                            file.getFileName().toString().replaceAll("\\.png$", "") + ".gif");
            AnimatedGif.write(gif, Editor.animationFrames(frames, 6), 1200, 2500, prov);
            try (FeatureClassifier fc =
                    FeatureClassifier.obtain(dataset, null, m.getDevice(), System.out)) {
                for (int i = 0; i < parsed.size(); i++) {
                    Edit e = parsed.get(i);
                    NDArray c = Editor.cell(frames.get(i + 1), e.row(), e.column(), cell);
                    double[] p = fc.probabilities(c)[0];
                    int best = 0;
                    for (int k = 1; k < p.length; k++) {
                        best = p[k] > p[best] ? k : best;
                    }
                    double[] a = test.measure().measure(c)[0];
                    StringBuilder attrs = new StringBuilder();
                    for (int k = 0; k < a.length; k++) {
                        int bin = test.bins().bin(k, a[k]);
                        attrs.append(k == 0 ? "" : ", ").append(test.bins().words(k).get(bin));
                    }
                    w.printf(
                            Locale.ROOT,
                            "%d. %s → the cell shows %s (p = %.2f): %s%n",
                            i + 1,
                            e,
                            test.data().classNames().get(best),
                            p[best],
                            attrs);
                }
            }
            w.printf(
                    Locale.ROOT,
                    "Wrote %s and %s (%d edits, %.1f s).%n",
                    file,
                    gif,
                    parsed.size(),
                    secs);
        }
        return 0;
    }
}
