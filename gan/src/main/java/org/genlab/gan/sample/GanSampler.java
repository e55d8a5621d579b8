package org.genlab.gan.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.chart.Charts;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.nn.NoGrad;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

/**
 * Draws and explores samples of a trained generator: sample grids, one row per class for a
 * conditional model, latent interpolations (a PNG strip and an animated GIF), latent mixing grids,
 * and, for 2D models, a scatter of real against generated points over the discriminator's decision
 * surface. Every file written carries GenLab's provenance metadata.
 *
 * <pre>{@code
 * GanSampler s = GanSampler.builder().setGenerator(g).optModelName("dcgan").optSeed(42).build();
 * NDArray images = s.sample(manager, 64, null, 0.7f);      // truncation τ = 0.7
 * s.writeGrid(images, 8, null, Path.of("samples.png"), "dcgan");
 * // during training, from the EMA weights:
 * NDArray ema = gan.withSamplingWeights(() -> s.sample(manager, 64, null, 0f));
 * }</pre>
 */
public final class GanSampler {

    private final Generator generator;
    private final String modelName;
    private final String runName;
    private final long seed;
    private final List<String> classNames;

    private GanSampler(Builder b) {
        generator = b.generator;
        modelName = b.modelName;
        runName = b.runName;
        seed = b.seed;
        classNames = b.classNames;
    }

    /**
     * Creates a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private ParameterStore ps(NDManager m) {
        return new ParameterStore(m, false);
    }

    /**
     * Generates samples.
     *
     * @param manager where to create the arrays
     * @param n how many
     * @param labels (n) class labels for a conditional model, or null (random classes are drawn for
     *     a conditional model)
     * @param truncation τ of the truncation trick, or 0 for none
     * @return (n, sampleShape...)
     */
    public NDArray sample(NDManager manager, int n, NDArray labels, float truncation) {
        NDArray z = Latents.sample(manager, n, generator.latentDim(), truncation);
        if (generator.isConditional() && labels == null) {
            labels =
                    manager.randomInteger(
                            0,
                            generator.numClasses(),
                            new ai.djl.ndarray.types.Shape(n),
                            DataType.INT32);
        }
        return generate(manager, z, labels);
    }

    /**
     * Runs G in inference mode on given latents.
     *
     * @param manager the manager of the latents
     * @param z (n, latentDim)
     * @param labels (n) labels or null
     * @return the samples
     */
    public NDArray generate(NDManager manager, NDArray z, NDArray labels) {
        try (NoGrad scope = NoGrad.enter()) {
            return generator.generate(
                    ps(manager), z, generator.isConditional() ? labels : null, false);
        }
    }

    /**
     * Generates one row per class, the same latent in each column, so a column shows one "style"
     * across classes.
     *
     * @param manager where to create the arrays
     * @param perClass samples per class (columns)
     * @param truncation τ, or 0
     * @return (classes × perClass, C, H, W), class-major
     */
    public NDArray classGrid(NDManager manager, int perClass, float truncation) {
        int k = generator.numClasses();
        if (k == 0) {
            throw new GenLabException(
                    "This generator is not conditional: it has no classes to draw row by row.");
        }
        NDArray z =
                Latents.sample(manager, perClass, generator.latentDim(), truncation)
                        .tile(new long[] {k, 1});
        NDArray labels = manager.arange(0, k).toType(DataType.INT32, false).repeat(0, perClass);
        return generate(manager, z, labels);
    }

    /**
     * Generates the images along a path in latent space between two random latents.
     *
     * @param manager where to create the arrays
     * @param steps the number of images, ends included
     * @param spherical true for slerp, false for linear interpolation
     * @param label the class for a conditional model (ignored otherwise)
     * @param truncation τ, or 0
     * @return (steps, C, H, W)
     */
    public NDArray interpolation(
            NDManager manager, int steps, boolean spherical, int label, float truncation) {
        NDArray ends = Latents.sample(manager, 2, generator.latentDim(), truncation);
        NDArray path = Latents.path(ends.get(0), ends.get(1), steps, spherical);
        return generate(manager, path, labelsOf(manager, steps, label));
    }

    /**
     * Mixes latents ("combining faces"): row i starts from a latent aᵢ, column j from bⱼ, and cell
     * (i, j) shows G(slerp(aᵢ, bⱼ; α)). The first row shows the b's alone and the first column the
     * a's alone.
     *
     * @param manager where to create the arrays
     * @param size the number of a's and of b's
     * @param alpha the share of b in each mix, e.g. 0.5
     * @param label the class for a conditional model
     * @param truncation τ, or 0
     * @return ((size + 1)², C, H, W), row-major, with a blank top-left corner
     */
    public NDArray mixingGrid(
            NDManager manager, int size, float alpha, int label, float truncation) {
        int d = generator.latentDim();
        NDArray a = Latents.sample(manager, size, d, truncation);
        NDArray b = Latents.sample(manager, size, d, truncation);
        NDList rows = new NDList();
        rows.add(manager.zeros(new ai.djl.ndarray.types.Shape(1, d))); // the corner, replaced below
        rows.add(b);
        for (int i = 0; i < size; i++) {
            NDArray ai = a.get(i).reshape(1, d);
            rows.add(ai);
            rows.add(Latents.slerp(ai.tile(new long[] {size, 1}), b, alpha));
        }
        NDArray z = NDArrays.concat(rows);
        int total = (size + 1) * (size + 1);
        NDArray images = generate(manager, z, labelsOf(manager, total, label));
        // blank corner: the lowest value, black in [-1, 1]
        NDArray corner = images.get("0:1").onesLike().neg();
        return NDArrays.concat(new NDList(corner, images.get("1:")));
    }

    private NDArray labelsOf(NDManager m, int n, int label) {
        if (!generator.isConditional()) {
            return null;
        }
        if (label < 0 || label >= generator.numClasses()) {
            throw new GenLabException(
                    "Class "
                            + label
                            + " does not exist: this model knows classes 0 to "
                            + (generator.numClasses() - 1)
                            + ".");
        }
        return m.full(new ai.djl.ndarray.types.Shape(n), label, DataType.INT32);
    }

    /**
     * Returns the provenance of the pictures this sampler writes.
     *
     * @param what a short description, e.g. {@code step 500}
     * @return the provenance
     */
    public Provenance provenance(String what) {
        Provenance.Builder p = Provenance.builder().optModel(modelName).optSeed(seed);
        if (runName != null) {
            p.optRun(runName);
        }
        if (what != null) {
            p.opt("Description", what);
        }
        return p.build();
    }

    /**
     * Renders images as a grid.
     *
     * @param images (N, C, H, W) in [-1, 1]
     * @param columns images per row
     * @param rowLabels labels for the rows, or null
     * @return the picture
     */
    public BufferedImage grid(NDArray images, int columns, List<String> rowLabels) {
        int scale = images.getShape().get(2) <= 32 ? 2 : 1;
        SampleGrid.Builder b =
                SampleGrid.builder().setImages(images).optColumns(columns).optScale(scale);
        if (rowLabels != null) {
            b.optRowLabels(rowLabels);
        }
        return b.build().render();
    }

    /**
     * Writes images as a PNG grid with provenance.
     *
     * @param images (N, C, H, W) in [-1, 1]
     * @param columns images per row
     * @param rowLabels labels for the rows (e.g. class names), or null
     * @param file the PNG
     * @param what a description for the provenance
     */
    public void writeGrid(
            NDArray images, int columns, List<String> rowLabels, Path file, String what) {
        PngWriter.write(grid(images, columns, rowLabels), file, provenance(what));
    }

    /**
     * Writes an interpolation as a one-row PNG strip and an animated GIF that goes there and back.
     *
     * @param images (steps, C, H, W)
     * @param png the strip
     * @param gif the animation
     * @param what a description for the provenance
     */
    public void writeInterpolation(NDArray images, Path png, Path gif, String what) {
        int steps = (int) images.getShape().get(0);
        writeGrid(images, steps, null, png, what);
        List<BufferedImage> frames = new ArrayList<>();
        int scale = images.getShape().get(2) <= 32 ? 4 : 2;
        for (BufferedImage f : ImageTensors.toImages(images)) {
            frames.add(enlarge(f, scale));
        }
        List<BufferedImage> pingPong = new ArrayList<>(frames);
        for (int i = frames.size() - 2; i > 0; i--) {
            pingPong.add(frames.get(i));
        }
        AnimatedGif.write(gif, pingPong, 120, 120, provenance(what));
    }

    private static BufferedImage enlarge(BufferedImage src, int scale) {
        BufferedImage out =
                new BufferedImage(
                        src.getWidth() * scale,
                        src.getHeight() * scale,
                        BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    /**
     * Writes a 2D model's samples as a scatter chart over real points and, when D is given, over
     * D's decision surface σ(D(x)) (dark: "fake", light: "real").
     *
     * @param samples (N, 2) generated points
     * @param real real points, or null
     * @param d the discriminator, or null
     * @param ps the parameter store for D
     * @param file the PNG
     * @param what the chart title and provenance description
     */
    public void writePoints(
            NDArray samples,
            float[][] real,
            Discriminator d,
            ParameterStore ps,
            Path file,
            String what) {
        float[][] gen = Charts.toPoints(samples);
        Map<String, float[][]> series = new LinkedHashMap<>();
        if (real != null) {
            series.put("real", real);
        }
        series.put("generated", gen);
        JFreeChart chart = Charts.scatter(series, modelName + " — " + what);
        float[] box = bounds(gen, real);
        XYPlot plot = chart.getXYPlot();
        plot.getDomainAxis().setRange(box[0], box[1]);
        plot.getRangeAxis().setRange(box[2], box[3]);
        if (d != null && !d.isConditional()) {
            plot.setBackgroundImage(surface(d, ps, samples.getManager(), box, 120));
            plot.setBackgroundImageAlpha(0.55f);
        }
        PngWriter.write(Charts.toImage(chart, 700, 700), file, provenance(what));
    }

    private static BufferedImage surface(
            Discriminator d, ParameterStore ps, NDManager m, float[] box, int res) {
        float[] xy = new float[res * res * 2];
        for (int r = 0; r < res; r++) {
            for (int c = 0; c < res; c++) {
                int i = (r * res + c) * 2;
                xy[i] = box[0] + (box[1] - box[0]) * (c + 0.5f) / res;
                xy[i + 1] = box[3] - (box[3] - box[2]) * (r + 0.5f) / res; // row 0 at the top
            }
        }
        try (NDManager sub = m.newSubManager()) {
            NDArray pts = sub.create(xy, new ai.djl.ndarray.types.Shape(res * res, 2));
            float[] p = Activation.sigmoid(d.logits(ps, pts, null, false)).toFloatArray();
            BufferedImage img = new BufferedImage(res, res, BufferedImage.TYPE_INT_RGB);
            for (int r = 0; r < res; r++) {
                for (int c = 0; c < res; c++) {
                    float v = p[r * res + c];
                    int g = (int) (40 + 215 * v);
                    img.setRGB(c, r, new Color(g, g, Math.min(255, g + 20)).getRGB());
                }
            }
            return img;
        }
    }

    private static float[] bounds(float[][] a, float[][] b) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float[][] set : new float[][][] {a, b}) {
            if (set == null) {
                continue;
            }
            for (float[] p : set) {
                for (float v : p) {
                    if (Float.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (lo > hi) {
            lo = -1;
            hi = 1;
        }
        float pad = 0.1f * (hi - lo) + 1e-3f;
        return new float[] {lo - pad, hi + pad, lo - pad, hi + pad};
    }

    /**
     * Returns the class names.
     *
     * @return one per class
     */
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < generator.numClasses(); i++) {
            names.add(classNames != null && i < classNames.size() ? classNames.get(i) : "" + i);
        }
        return names;
    }

    /** Builds a {@link GanSampler}. */
    public static final class Builder {
        private Generator generator;
        private String modelName = "gan";
        private String runName;
        private long seed;
        private List<String> classNames;

        Builder() {}

        /**
         * Sets the generator (initialised, e.g. loaded from a checkpoint).
         *
         * @param generator G
         * @return this builder
         */
        public Builder setGenerator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /**
         * Names the model in the provenance.
         *
         * @param name e.g. {@code dcgan}
         * @return this builder
         */
        public Builder optModelName(String name) {
            this.modelName = name;
            return this;
        }

        /**
         * Names the run in the provenance.
         *
         * @param run e.g. the run folder's name
         * @return this builder
         */
        public Builder optRunName(String run) {
            this.runName = run;
            return this;
        }

        /**
         * Records the seed in the provenance.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Names the classes (row labels of class grids).
         *
         * @param names one per class
         * @return this builder
         */
        public Builder optClassNames(List<String> names) {
            this.classNames = names;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         */
        public GanSampler build() {
            if (generator == null || !generator.isInitialized()) {
                throw new GenLabException("A sampler needs an initialised generator.");
            }
            return new GanSampler(this);
        }
    }
}
