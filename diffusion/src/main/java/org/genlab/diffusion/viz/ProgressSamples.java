package org.genlab.diffusion.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.genlab.core.GenLabException;
import org.genlab.core.chart.Charts;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * The pictures a diffusion run draws while it trains, always from the same noise (a fixed seed), so
 * that the pictures of successive steps can be compared. What is drawn follows from the shape of
 * one sample:
 *
 * <ul>
 *   <li>points (D): DDPM over all T steps without clipping (DDIM's x̂_0 = (x_t − √(1 − ᾱ) ε̂) / √ᾱ
 *       blows up where ᾱ ≈ 0 when there is no clip range), a scatter plot of the first two
 *       coordinates over the reference data;
 *   <li>images (C, H, W): deterministic DDIM with x̂_0 clipped to [−1, 1], a grid; a
 *       class-conditional model draws one class per column with classifier-free guidance, a
 *       text-conditional one one prompt per column, and a model conditioned on vectors (an unCLIP
 *       decoder) one condition per column, under a first row of the images they came from.
 * </ul>
 *
 * A flow-matching model is integrated with Euler steps ({@code FlowSampler}) instead, and a latent
 * model's samples are decoded ({@link Builder#optDecoder}) before they are drawn.
 *
 * <p>Samples of any other rank are not drawn. {@code DiffusionTrainer} calls {@link #write} with
 * the EMA weights swapped in.
 *
 * <pre>{@code
 * ProgressSamples pictures = ProgressSamples.builder()
 *         .setSchedule(schedule).setSampleShape(new Shape(1, 28, 28)).optNumClasses(10).build();
 * Path png = pictures.write(denoiser, manager, step, run.samplesDir());
 * }</pre>
 */
public final class ProgressSamples {

    private final NoiseSchedule schedule;
    private final Shape sampleShape;
    private final int numClasses;
    private final long[][] prompts;
    private final float[][] conditions;
    private final float[] sourcePixels;
    private final Shape sourceShape;
    private final int count;
    private final int steps;
    private final long seed;
    private final float guidance;
    private final String model;
    private final String runName;
    private final float[][] referencePoints;
    private final UnaryOperator<NDArray> decoder;

    private ProgressSamples(Builder b) {
        schedule = b.schedule;
        sampleShape = b.sampleShape;
        numClasses = b.numClasses;
        prompts = b.prompts;
        conditions = b.conditions;
        sourcePixels = b.sources == null ? null : b.sources.toFloatArray();
        sourceShape = b.sources == null ? null : b.sources.getShape();
        count = b.count;
        steps = b.steps;
        seed = b.seed;
        guidance = b.guidance;
        model = b.model;
        runName = b.runName;
        referencePoints = b.referencePoints;
        decoder = b.decoder;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tells whether samples of this shape are drawn (points or images).
     *
     * @return true for a sample shape (D) or (C, H, W)
     */
    public boolean draws() {
        return sampleShape.dimension() == 1 || sampleShape.dimension() == 3;
    }

    /**
     * Draws the samples of a step and writes them to {@code folder/step-NNNNNNN.png}.
     *
     * @param denoiser the model (with the weights to show, usually the EMA's)
     * @param manager a manager on the model's device (a sub-manager is used and closed)
     * @param step the training step, for the file name and the title
     * @param folder where to write
     * @return the file written, or {@code null} when samples of this shape are not drawn
     */
    public Path write(Denoiser denoiser, NDManager manager, long step, Path folder) {
        if (!draws()) {
            return null;
        }
        boolean points = sampleShape.dimension() == 1;
        try (NDManager m = manager.newSubManager()) {
            Seeds.seed(seed);
            Sampler sampler = sampler(denoiser, points);
            Path file = folder.resolve(String.format(Locale.ROOT, "step-%07d.png", step));
            Provenance prov =
                    Provenance.builder()
                            .optModel("diffusion " + model)
                            .optRun(runName)
                            .optSeed(seed)
                            .opt("step", Long.toString(step))
                            .opt(
                                    "sampler",
                                    sampler.getClass().getSimpleName()
                                            + "-"
                                            + sampler.timesteps().length)
                            .build();
            Shape batch = new Shape(count).addAll(sampleShape);
            BufferedImage img =
                    points
                            ? scatter(sampler.sample(denoiser, m, batch, null), step)
                            : grid(sampler, denoiser, m, batch);
            PngWriter.write(img, file, prov);
            return file;
        }
    }

    private Sampler sampler(Denoiser denoiser, boolean points) {
        if (denoiser.prediction() == Prediction.FLOW) {
            return FlowSampler.builder().optSteps(Math.min(steps, FlowPath.TIME_SCALE)).build();
        }
        if (schedule == null) {
            throw new GenLabException(
                    "ProgressSamples: a " + denoiser.prediction() + " model needs setSchedule.");
        }
        return points
                ? DdpmSampler.builder().setSchedule(schedule).optClipDenoised(false).build()
                : DdimSampler.builder()
                        .setSchedule(schedule)
                        .optSteps(Math.min(steps, schedule.steps()))
                        .build();
    }

    private BufferedImage scatter(NDArray x, long step) {
        Map<String, float[][]> series = new LinkedHashMap<>();
        if (referencePoints != null) {
            series.put("data", referencePoints);
        }
        NDArray xy = x.getShape().get(1) == 2 ? x : x.get(":, 0:2");
        series.put("samples", Charts.toPoints(xy));
        return Charts.toImage(Charts.scatter(series, "Samples, step " + step), 600, 600);
    }

    private BufferedImage grid(Sampler sampler, Denoiser d, NDManager m, Shape batch) {
        Denoiser den = d;
        NDArray labels = null;
        int columns = (int) Math.ceil(Math.sqrt(count));
        if (numClasses > 0) {
            long[] l = new long[count];
            for (int i = 0; i < count; i++) {
                l[i] = i % numClasses;
            }
            labels = m.create(l);
            columns = numClasses;
            den = new ClassifierFreeGuidance(d, numClasses, guidance);
        } else if (prompts != null && prompts.length > 0) {
            // one column per prompt, each guided towards its caption
            long[][] rows = new long[count][];
            for (int i = 0; i < count; i++) {
                rows[i] = prompts[i % prompts.length];
            }
            labels = m.create(rows);
            columns = prompts.length;
            den = ClassifierFreeGuidance.forCaptions(d, guidance);
        } else if (conditions != null && conditions.length > 0) {
            // one column per condition vector (e.g. a CLIP image embedding), guided towards it
            float[][] rows = new float[count][];
            for (int i = 0; i < count; i++) {
                rows[i] = conditions[i % conditions.length];
            }
            labels = m.create(rows);
            columns = conditions.length;
            den = ClassifierFreeGuidance.forEmbeddings(d, guidance);
        }
        NDArray x = sampler.sample(den, m, batch, labels);
        if (decoder != null) {
            x = decoder.apply(x);
        }
        if (labels != null && conditions != null && sourcePixels != null) {
            // the first row: the images the conditions came from
            NDArray src = m.create(sourcePixels, sourceShape).toDevice(x.getDevice(), false);
            x = src.concat(x, 0);
        }
        return SampleGrid.builder()
                .setImages(x)
                .optColumns(columns)
                .optScale(x.getShape().get(2) <= 32 ? 2 : 1)
                .build()
                .render();
    }

    /** Builds {@link ProgressSamples}. */
    public static final class Builder {
        private NoiseSchedule schedule;
        private Shape sampleShape;
        private int numClasses;
        private long[][] prompts;
        private float[][] conditions;
        private NDArray sources;
        private int count = 64;
        private int steps = 50;
        private long seed = 1234;
        private float guidance = 3f;
        private String model = "";
        private String runName = "";
        private float[][] referencePoints;
        private UnaryOperator<NDArray> decoder;

        private Builder() {}

        /**
         * Sets the schedule the model was trained with (not needed by a flow-matching model).
         *
         * @param schedule the schedule
         * @return this
         */
        public Builder setSchedule(NoiseSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Sets the shape of one sample.
         *
         * @param shape (C, H, W) or (D)
         * @return this
         */
        public Builder setSampleShape(Shape shape) {
            this.sampleShape = shape;
            return this;
        }

        /**
         * Makes the images class-conditional: one class per column, guided (default 0).
         *
         * @param numClasses K
         * @return this
         */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Draws one column per prompt for a text-conditional model.
         *
         * @param ids the prompts' token ids, one row each (or {@code null})
         * @return this
         */
        public Builder optPrompts(long[][] ids) {
            this.prompts = ids;
            return this;
        }

        /**
         * Draws one column per condition vector for a model conditioned on vectors (an unCLIP
         * decoder's CLIP image embeddings), under a first row showing the images they came from.
         *
         * @param rows the condition vectors (n rows of D), or {@code null}
         * @param images the n source images (n, C, H, W) in [−1, 1] (copied), or {@code null}
         * @return this
         */
        public Builder optConditions(float[][] rows, NDArray images) {
            if (rows != null && images != null && images.getShape().get(0) != rows.length) {
                throw new GenLabException(
                        "ProgressSamples: "
                                + rows.length
                                + " condition rows but "
                                + images.getShape().get(0)
                                + " source images.");
            }
            this.conditions = rows;
            this.sources = images;
            return this;
        }

        /**
         * Sets how many samples, the DDIM steps, the noise seed and the guidance weight w (defaults
         * 64, 50, 1234, 3).
         *
         * @param count samples per picture
         * @param steps DDIM steps (images)
         * @param seed the fixed noise seed
         * @param guidanceWeight w for conditional models
         * @return this
         */
        public Builder optSamples(int count, int steps, long seed, float guidanceWeight) {
            this.count = count;
            this.steps = steps;
            this.seed = seed;
            this.guidance = guidanceWeight;
            return this;
        }

        /**
         * Names the model and the run in the pictures' provenance.
         *
         * @param model e.g. {@code unet}
         * @param runName the run
         * @return this
         */
        public Builder optNames(String model, String runName) {
            this.model = model;
            this.runName = runName;
            return this;
        }

        /**
         * Sets data points drawn under 2D samples.
         *
         * @param points N × {x, y}
         * @return this
         */
        public Builder optReferencePoints(float[][] points) {
            this.referencePoints = points;
            return this;
        }

        /**
         * Decodes samples before drawing them: a latent model's samples go through its
         * autoencoder's decoder (latent diffusion).
         *
         * @param decoder latents (B, c, h, w) → images (B, C, H, W) in [−1, 1]
         * @return this
         */
        public Builder optDecoder(UnaryOperator<NDArray> decoder) {
            this.decoder = decoder;
            return this;
        }

        /**
         * Builds the writer.
         *
         * @return the writer
         */
        public ProgressSamples build() {
            if (sampleShape == null) {
                throw new GenLabException("ProgressSamples: setSampleShape is required.");
            }
            if (count < 1 || steps < 1) {
                throw new GenLabException(
                        "Progress samples need a count and DDIM steps ≥ 1, got "
                                + count
                                + " and "
                                + steps
                                + ".");
            }
            return new ProgressSamples(this);
        }
    }
}
