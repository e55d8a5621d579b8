package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.train.RunFolder;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.eval.classifier.FeatureClassifier;
import org.genlab.pipelines.unclip.UnclipDecoder;
import org.genlab.pipelines.unclip.Variations;
import org.genlab.text.clip.Clip;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code genlab variations}: variations of an image, and interpolations between two, with an unCLIP
 * decoder (Ramesh et al. 2022).
 */
@Command(
        name = "variations",
        mixinStandardHelpOptions = true,
        description = {
            "Draw variations of an image with an unCLIP decoder (genlab train diffusion"
                    + " --clip-image, Ramesh et al. 2022): the image's CLIP embedding decoded from"
                    + " different noise, guided with classifier-free guidance. Writes the source"
                    + " on the left and its variations beside it. With --to, decodes points on"
                    + " the great circle between two images' embeddings (slerp) from one noise"
                    + " instead: a strip PNG and a GIF.",
            "Example: genlab variations --run runs/decoder --image test:0 --n 8 --guidance 3",
            "With --evaluate N it instead draws one variation of each of N test images and"
                    + " reports how often the classifier sees the source's class, the pixel"
                    + " distances to the source, and for reference the distances between two test"
                    + " images of the same class."
        })
public final class VariationsCommand implements Callable<Integer> {

    @Option(
            names = "--run",
            required = true,
            description = "A decoder run (genlab train diffusion --clip-image).")
    Path run;

    @Option(
            names = "--image",
            description = "The source: a PNG of the decoder's size, or test:INDEX (a test image).")
    String image;

    @Option(
            names = "--to",
            description =
                    "A second image (PNG or test:INDEX): interpolate between the two embeddings.")
    String to;

    @Option(names = "--n", defaultValue = "8", description = "Variations (default 8).")
    int n;

    @Option(
            names = "--frames",
            defaultValue = "8",
            description = "Images along the interpolation, ends included (default 8).")
    int frames;

    @Option(
            names = "--guidance",
            defaultValue = "3",
            description = "Classifier-free guidance weight w (default 3; 1 = none).")
    float guidance;

    @Option(names = "--steps", defaultValue = "50", description = "Sampler steps (default 50).")
    int steps;

    @Option(
            names = "--evaluate",
            description = "Draw one variation of each of this many test images and score them.")
    Integer evaluate;

    @Option(
            names = "--out",
            description =
                    "PNG to write (default RUN/samples/variations.png, or interpolation.png with"
                            + " --to; the GIF beside it).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (evaluate == null && image == null) {
            throw new GenLabException(
                    "Give --image (a PNG or test:INDEX), or --evaluate N to score the decoder.");
        }
        if (evaluate != null && (image != null || to != null)) {
            throw new GenLabException("--evaluate draws test images itself: drop --image/--to.");
        }
        RunFolder folder = RunFolder.open(run);
        if (!UnclipDecoder.isDecoder(folder.config())) {
            throw new GenLabException(
                    run
                            + " is not an unCLIP decoder: train one with genlab train diffusion"
                            + " --clip-image CLIP_RUN.");
        }
        long seed = GlobalOptions.seed();
        String dataset = folder.config().get("dataset");
        PrintWriter w = command.commandLine().getOut();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                TrainedModel model = TrainedModel.open(folder, m, true)) {
            Clip clip = Clip.load(UnclipDecoder.clipRun(folder.config()), m).clip();
            Variations v =
                    Variations.builder()
                            .setDecoder(model)
                            .setClip(clip)
                            .optGuidance(guidance)
                            .optSampler(model.defaultSampler(), steps)
                            .build();
            ImageDataset test =
                    ImageDataset.builder().setName(dataset).optSplit(Split.TEST).build();
            if (evaluate != null) {
                evaluate(v, model, test, dataset, seed, m, w);
                return 0;
            }
            NDArray a = load(image, "--image", model, test, m);
            long t0 = System.nanoTime();
            Provenance.Builder prov =
                    Provenance.builder()
                            .optModel("unCLIP decoder")
                            .optRun(run.getFileName().toString())
                            .optSeed(seed)
                            .opt("image", image)
                            .opt("guidance", Float.toString(guidance));
            if (to != null) {
                NDArray b = load(to, "--to", model, test, m);
                NDArray strip = v.interpolate(a, b, frames, seed);
                NDArray all = a.concat(strip, 0).concat(b, 0);
                List<String> labels = new ArrayList<>();
                labels.add("a");
                for (int i = 0; i < frames; i++) {
                    labels.add(String.format(Locale.ROOT, "t=%.2f", i / (double) (frames - 1)));
                }
                labels.add("b");
                Path file = out != null ? out : folder.samplesDir().resolve("interpolation.png");
                prov.opt("to", to);
                PngWriter.write(grid(all, frames + 2, labels), file, prov.build());
                List<BufferedImage> gif = new ArrayList<>();
                for (int i = 0; i < frames; i++) {
                    gif.add(grid(strip.get(i + ":" + (i + 1)), 1, null));
                }
                for (int i = frames - 2; i > 0; i--) {
                    gif.add(gif.get(i));
                }
                Path g =
                        file.resolveSibling(
                                file.getFileName().toString().replaceAll("\\.png$", "") + ".gif");
                AnimatedGif.write(g, gif, 150, 600, prov.build());
                w.printf(
                        Locale.ROOT,
                        "Wrote %s and %s (%d frames between %s and %s, w = %.1f, %.1f s).%n",
                        file,
                        g,
                        frames,
                        image,
                        to,
                        guidance,
                        (System.nanoTime() - t0) / 1e9);
                return 0;
            }
            NDArray vars = v.of(a, n, seed);
            NDArray all = a.concat(vars, 0);
            List<String> labels = new ArrayList<>();
            labels.add("source");
            for (int i = 1; i <= n; i++) {
                labels.add(Integer.toString(i));
            }
            Path file = out != null ? out : folder.samplesDir().resolve("variations.png");
            PngWriter.write(grid(all, n + 1, labels), file, prov.build());
            w.printf(
                    Locale.ROOT,
                    "Wrote %s (%d variations of %s, w = %.1f, %.1f s).%n",
                    file,
                    n,
                    image,
                    guidance,
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private static BufferedImage grid(NDArray images, int columns, List<String> labels) {
        SampleGrid.Builder b =
                SampleGrid.builder()
                        .setImages(images)
                        .optColumns(columns)
                        .optScale(images.getShape().get(2) <= 32 ? 3 : 1);
        if (labels != null) {
            b.optColumnLabels(labels);
        }
        return b.build().render();
    }

    /**
     * Reads a source image: {@code test:INDEX} or a PNG whose size and channels fit the decoder.
     */
    static NDArray load(
            String source, String flag, TrainedModel model, ImageDataset test, NDManager m) {
        Shape shape = model.imageShape();
        int c = (int) shape.get(0);
        if (source.startsWith("test:")) {
            int i;
            try {
                i = Integer.parseInt(source.substring(5).trim());
            } catch (NumberFormatException e) {
                throw new GenLabException(
                        flag
                                + " "
                                + source
                                + ": give test:INDEX with a whole number, e.g. test:0.");
            }
            if (i < 0 || i >= test.size()) {
                throw new GenLabException(
                        flag
                                + " "
                                + source
                                + ": the test set has images 0 to "
                                + (test.size() - 1)
                                + ".");
            }
            return test.samples(m, new int[] {i});
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new GenLabException(
                    flag + " " + source + ": no such file; give a PNG or test:INDEX.");
        }
        BufferedImage png = PngWriter.read(file);
        if (png.getWidth() != shape.get(2) || png.getHeight() != shape.get(1)) {
            throw new GenLabException(
                    flag
                            + " "
                            + source
                            + " is "
                            + png.getWidth()
                            + "×"
                            + png.getHeight()
                            + "; this decoder draws "
                            + shape.get(2)
                            + "×"
                            + shape.get(1)
                            + " images: resize it first.");
        }
        if (c == 1 && !grey(png)) {
            throw new GenLabException(
                    flag
                            + " "
                            + source
                            + " is a colour image; this decoder draws greyscale images: give a"
                            + " greyscale PNG.");
        }
        return ImageTensors.toTensor(m, List.of(png), c);
    }

    /** True when every pixel has equal red, green and blue (or the image has one channel). */
    private static boolean grey(BufferedImage png) {
        if (png.getColorModel().getNumColorComponents() == 1) {
            return true;
        }
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (r != g || g != b) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One variation of each of N random test images: how often the classifier gives it the source's
     * class, and how far it is from the source in pixels, next to the distance between two test
     * images of the same class.
     */
    private void evaluate(
            Variations v,
            TrainedModel model,
            ImageDataset test,
            String dataset,
            long seed,
            NDManager m,
            PrintWriter w) {
        int count = Math.min(evaluate, test.size());
        Random r = new Random(seed);
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        long[] labels;
        try (NDManager sub = m.newSubManager()) {
            labels = test.labels(sub, all).toType(DataType.INT64, false).toLongArray();
        }
        int[] src = new int[count];
        int[] pair = new int[count];
        for (int i = 0; i < count; i++) {
            src[i] = r.nextInt(all.length);
            int j;
            do {
                j = r.nextInt(all.length);
            } while (j == src[i] || labels[j] != labels[src[i]]);
            pair[i] = j;
        }
        long t0 = System.nanoTime();
        int kept = 0;
        int keptTrue = 0;
        double l2 = 0;
        double abs = 0;
        double refL2 = 0;
        double refAbs = 0;
        int chunk = 64;
        try (FeatureClassifier fc =
                FeatureClassifier.obtain(dataset, null, m.getDevice(), System.out)) {
            for (int from = 0; from < count; from += chunk) {
                int to = Math.min(count, from + chunk);
                try (NDManager sub = m.newSubManager()) {
                    int[] idx = java.util.Arrays.copyOfRange(src, from, to);
                    int[] other = java.util.Arrays.copyOfRange(pair, from, to);
                    NDArray x = test.samples(sub, idx);
                    NDArray y = v.decode(v.embed(x), seed + from);
                    int[] cx = argmax(fc.probabilities(x));
                    int[] cy = argmax(fc.probabilities(y));
                    for (int i = 0; i < idx.length; i++) {
                        kept += cx[i] == cy[i] ? 1 : 0;
                        keptTrue += cy[i] == labels[idx[i]] ? 1 : 0;
                    }
                    double[] d = distances(y, x);
                    l2 += d[0];
                    abs += d[1];
                    double[] ref = distances(test.samples(sub, other), x);
                    refL2 += ref[0];
                    refAbs += ref[1];
                }
            }
        }
        w.printf(
                Locale.ROOT,
                "Variations of %d test images with %s (w = %.1f, %d steps, %.1f s):%n",
                count,
                run,
                guidance,
                steps,
                (System.nanoTime() - t0) / 1e9);
        w.printf(
                Locale.ROOT,
                "  class kept: %.1f %% (the classifier's class of the variation equals that of the"
                        + " source; %.1f %% equal the source's label)%n",
                100.0 * kept / count,
                100.0 * keptTrue / count);
        w.printf(
                Locale.ROOT,
                "  distance to the source: L2 %.3f, mean |Δ| per pixel %.4f (pixels in [−1, 1])%n",
                l2 / count,
                abs / count);
        w.printf(
                Locale.ROOT,
                "  reference, two test images of the same class: L2 %.3f, mean |Δ| per pixel"
                        + " %.4f%n",
                refL2 / count,
                refAbs / count);
    }

    private static int[] argmax(double[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 1; k < p[i].length; k++) {
                out[i] = p[i][k] > p[i][out[i]] ? k : out[i];
            }
        }
        return out;
    }

    /** The sums over the batch of ‖a − b‖₂ and of the mean per-pixel |a − b|. */
    private static double[] distances(NDArray a, NDArray b) {
        long d = a.getShape().size() / a.getShape().get(0);
        NDArray diff = a.sub(b).reshape(a.getShape().get(0), d);
        float[] l2 = diff.square().sum(new int[] {1}).sqrt().toFloatArray();
        float[] abs = diff.abs().mean(new int[] {1}).toFloatArray();
        double s = 0;
        double t = 0;
        for (int i = 0; i < l2.length; i++) {
            s += l2[i];
            t += abs[i];
        }
        return new double[] {s, t};
    }
}
