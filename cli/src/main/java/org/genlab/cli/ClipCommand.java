package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.train.RunFolder;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.pipelines.clip.ClipEvaluation;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.Retrieval;
import org.genlab.text.viz.AttentionMaps;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab clip}: what a trained CLIP model knows. */
@Command(
        name = "clip",
        mixinStandardHelpOptions = true,
        description =
                "Use a trained CLIP model (genlab train clip): zero-shot classification,"
                        + " text→image and image→text search, and its text encoder's attention.",
        subcommands = {
            ClipCommand.ZeroShotCommand.class,
            ClipCommand.SearchCommand.class,
            ClipCommand.AttentionCommand.class
        })
public final class ClipCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String dataset(Path run) {
        String d = RunFolder.open(run).config().get("dataset");
        if (d == null) {
            throw new GenLabException(run + " does not record its data set: is it a CLIP run?");
        }
        return d;
    }

    static CaptionedImages testSplit(String dataset) {
        return CaptionedImages.of(
                ImageDataset.builder().setName(dataset).optSplit(Split.TEST).build());
    }

    /** {@code genlab clip zero-shot}. */
    @Command(
            name = "zero-shot",
            mixinStandardHelpOptions = true,
            description =
                    "Classify the test split from prompts alone (\"a 7\", \"the digit seven\", …),"
                            + " measure text→image and image→text recall@K, and draw the shared"
                            + " embedding (PCA).")
    static final class ZeroShotCommand implements Callable<Integer> {
        @Option(names = "--run", required = true, description = "A CLIP run folder.")
        Path run;

        @Option(
                names = "--n",
                defaultValue = "10000",
                description = "Test images (default 10000, all).")
        int n;

        @Option(names = "--k", defaultValue = "5", description = "K of recall@K (default 5).")
        int k;

        @Option(
                names = "--map",
                description = "Embedding map PNG (default RUN/samples/embedding-map.png).")
        Path map;

        @CommandLine.Spec CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            String dataset = dataset(run);
            try (NDManager m = NDManager.newBaseManager(GlobalOptions.device())) {
                Clip.Loaded c = Clip.load(run, m);
                CaptionedImages test = testSplit(dataset);
                int len = c.clip().spec().maxLength();
                ClipEvaluation.Result r =
                        ClipEvaluation.evaluate(c.clip(), c.tokenizer(), len, test, n, k, m);
                Path file = map != null ? map : run.resolve("samples").resolve("embedding-map.png");
                ClipEvaluation.drawMap(
                        c.clip(), c.tokenizer(), len, test, Math.min(n, 600), List.of(), file, m);
                PrintWriter out = command.commandLine().getOut();
                out.println("CLIP " + run + " on the " + dataset + " test split: " + r + ".");
                List<List<String>> prompts =
                        ClipEvaluation.classPrompts(test.captioner(), test.data().numClasses());
                out.println(
                        "Prompts per class, e.g. class 0: " + String.join(" | ", prompts.get(0)));
                out.println("Embedding map: " + file);
            }
            return 0;
        }
    }

    /** {@code genlab clip search}. */
    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description =
                    "Find the test images nearest to a text (--text) or the captions nearest to"
                            + " an image (--image PNG).")
    static final class SearchCommand implements Callable<Integer> {
        @Option(names = "--run", required = true, description = "A CLIP run folder.")
        Path run;

        @Option(names = "--text", description = "A caption to search images for.")
        String text;

        @Option(names = "--image", description = "A PNG to search captions for.")
        Path image;

        @Option(names = "--k", defaultValue = "8", description = "How many results (default 8).")
        int k;

        @Option(
                names = "--n",
                defaultValue = "10000",
                description = "Test images to search (default 10000).")
        int n;

        @Option(names = "--out", description = "Result PNG (default RUN/samples/search.png).")
        Path out;

        @CommandLine.Spec CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            if ((text == null) == (image == null)) {
                throw new GenLabException("Give either --text \"a bold 7\" or --image FILE.png.");
            }
            if (image != null && !Files.isRegularFile(image)) {
                throw new GenLabException("No image at " + image + ".");
            }
            String dataset = dataset(run);
            PrintWriter w = command.commandLine().getOut();
            try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                    NoGrad scope = NoGrad.enter()) {
                Clip.Loaded c = Clip.load(run, m);
                Clip clip = c.clip();
                int len = clip.spec().maxLength();
                CaptionedImages test = testSplit(dataset);
                int count = Math.min(n, test.size());
                ParameterStore ps = new ParameterStore(m, false);
                if (text != null) {
                    NDArray q = clip.encodeTexts(ps, c.tokenizer().encode(m, List.of(text), len));
                    NDList keys = new NDList();
                    for (int from = 0; from < count; from += 500) {
                        int to = Math.min(count, from + 500);
                        keys.add(clip.encodeImages(ps, test.data().samples(m, range(from, to))));
                    }
                    NDArray all = ai.djl.ndarray.NDArrays.concat(keys, 0);
                    int[] top = Retrieval.topK(q, all, Math.min(k, count));
                    NDArray imgs = test.data().samples(m, top);
                    Path file = out != null ? out : run.resolve("samples").resolve("search.png");
                    PngWriter.write(
                            SampleGrid.builder()
                                    .setImages(imgs)
                                    .optColumns(top.length)
                                    .optScale(3)
                                    .build()
                                    .render(),
                            file,
                            Provenance.builder()
                                    .optModel("clip search")
                                    .optRun(run.getFileName().toString())
                                    .opt("query", text)
                                    .build());
                    w.println("The " + top.length + " test images nearest to \"" + text + "\":");
                    for (int i : top) {
                        w.printf(
                                Locale.ROOT,
                                "  #%d  label %d  caption \"%s\"%n",
                                i,
                                test.label(i),
                                test.caption(i));
                    }
                    w.println("Wrote " + file);
                } else {
                    BufferedImage png = PngWriter.read(image);
                    ImageDataset d = test.data();
                    if (png.getWidth() != d.width() || png.getHeight() != d.height()) {
                        throw new GenLabException(
                                image
                                        + " is "
                                        + png.getWidth()
                                        + "×"
                                        + png.getHeight()
                                        + "; this model reads "
                                        + d.width()
                                        + "×"
                                        + d.height()
                                        + " images.");
                    }
                    NDArray x = ImageTensors.toTensor(m, List.of(png), d.channels());
                    NDArray q = clip.encodeImages(ps, x);
                    List<String> captions =
                            new ArrayList<>(
                                    new java.util.LinkedHashSet<>(
                                            test.captions().subList(0, count)));
                    NDList keys = new NDList();
                    for (int from = 0; from < captions.size(); from += 500) {
                        int to = Math.min(captions.size(), from + 500);
                        keys.add(
                                clip.encodeTexts(
                                        ps,
                                        c.tokenizer().encode(m, captions.subList(from, to), len)));
                    }
                    NDArray all = ai.djl.ndarray.NDArrays.concat(keys, 0);
                    int[] top = Retrieval.topK(q, all, Math.min(k, captions.size()));
                    w.println("The " + top.length + " captions nearest to " + image + ":");
                    for (int i : top) {
                        w.println("  \"" + captions.get(i) + "\"");
                    }
                }
            }
            return 0;
        }

        private static int[] range(int from, int to) {
            int[] r = new int[to - from];
            for (int i = 0; i < r.length; i++) {
                r[i] = from + i;
            }
            return r;
        }
    }

    /** {@code genlab clip attention}. */
    @Command(
            name = "attention",
            mixinStandardHelpOptions = true,
            description =
                    "Draw the attention of the text encoder's layers over a caption's words: one"
                            + " panel per head, row i = how much word i looks at each word.")
    static final class AttentionCommand implements Callable<Integer> {
        @Option(names = "--run", required = true, description = "A CLIP run folder.")
        Path run;

        @Option(names = "--text", required = true, description = "The caption.")
        String text;

        @Option(
                names = "--out",
                description = "PNG prefix (default RUN/samples/attention): one file per layer.")
        Path out;

        @CommandLine.Spec CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                    NoGrad scope = NoGrad.enter()) {
                Clip.Loaded c = Clip.load(run, m);
                int len = c.clip().spec().maxLength();
                NDArray ids = c.tokenizer().encode(m, List.of(text), len);
                NDList layers = c.clip().textEncoder().attention(new ParameterStore(m, false), ids);
                List<String> words = c.tokenizer().words(text);
                Path base = out != null ? out : run.resolve("samples").resolve("attention");
                for (int l = 0; l < layers.size(); l++) {
                    Path file = Path.of(base + "-layer" + (l + 1) + ".png");
                    AttentionMaps.draw(words, layers.get(l).get(0), file);
                    command.commandLine().getOut().println("Wrote " + file);
                }
            }
            return 0;
        }
    }
}
