package org.genlab.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.chart.Charts;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.ema.Ema;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.nn.Gradients;
import org.genlab.core.nn.Params;
import org.genlab.core.optim.Adam;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;
import org.genlab.diffusion.data.BatchSource;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.ForwardProcess;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * DDPM training as a core {@link TrainingTask} (Ho et al. 2020, Algorithm 1): draw x_0, a uniform
 * step t and noise ε, form x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, and take an Adam step on the "simple"
 * loss
 *
 * <pre>
 *   L = ‖ε − ε_θ(x_t, t[, y])‖²      (or ‖v − v_θ‖² with v = √ᾱ ε − √(1 − ᾱ) x_0)
 * </pre>
 *
 * For classifier-free guidance the label is replaced by the null class with probability p (Ho &amp;
 * Salimans 2022). An EMA of the weights is kept for sampling. Progress samples are drawn with the
 * EMA weights by DDIM from a fixed noise batch.
 */
public final class DiffusionTrainer implements TrainingTask {

    private final Block model;
    private final ModelSpec spec;
    private final NoiseSchedule schedule;
    private final NoiseSchedule.Tensors tables;
    private final BatchSource data;
    private final int batchSize;
    private final float labelDropout;
    private final Adam adam;
    private final Ema ema;
    private final ParameterStore ps;
    private final TrainState state;
    private final NDManager manager;
    private final int sampleCount;
    private final int sampleSteps;
    private final long sampleSeed;
    private final float guidance;
    private final String runName;
    private final float[][] referencePoints;
    private final float gradientClip;

    private DiffusionTrainer(Builder b) {
        model = b.model;
        spec = b.spec;
        schedule = spec.noiseSchedule();
        manager = b.manager;
        tables = schedule.tensors(manager);
        data = b.data;
        batchSize = b.batchSize;
        labelDropout = b.labelDropout;
        adam = Adam.builder().optLearningRate(b.learningRate).build();
        ema = Ema.builder().setBlock(model).optDecay(b.emaDecay).build();
        ps = new ParameterStore(manager, false);
        state =
                TrainState.builder()
                        .setModel(ModelSpec.MODEL)
                        .addNetwork(ModelSpec.NETWORK, model, adam, ema)
                        .build();
        sampleCount = b.sampleCount;
        sampleSteps = b.sampleSteps;
        sampleSeed = b.sampleSeed;
        guidance = b.guidance;
        runName = b.runName;
        referencePoints = b.referencePoints;
        gradientClip = b.gradientClip;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Losses step(long step, NDManager m) {
        BatchSource.Batch batch = data.next(m, step, batchSize);
        NDArray x0 = batch.data();
        long b = x0.getShape().get(0);
        NDArray t = m.randomInteger(0, schedule.steps(), new Shape(b), DataType.INT64);
        NDArray eps = m.randomNormal(x0.getShape());
        NDArray xt = ForwardProcess.sample(tables, x0, t, eps);
        NDArray target =
                spec.prediction() == Prediction.V
                        ? ForwardProcess.velocity(tables, x0, t, eps)
                        : eps;
        NDList in = new NDList(xt, t.toType(DataType.FLOAT32, false));
        if (spec.numClasses() > 0) {
            NDArray labels = batch.labels();
            if (labels == null) {
                throw new GenLabException("A class-conditional model needs labelled data.");
            }
            NDArray drop = m.randomUniform(0f, 1f, new Shape(b)).lt(labelDropout);
            NDArray nulls = m.full(new Shape(b), (long) spec.numClasses());
            in.add(NDArrays.where(drop, nulls, labels.toType(DataType.INT64, false)));
        }
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(model);
            NDArray out = model.forward(ps, in, true).singletonOrThrow();
            loss = out.sub(target).square().mean();
            gc.backward(loss);
        }
        if (gradientClip > 0) {
            clipGradientNorm(model, gradientClip);
        }
        adam.step(model);
        ema.update();
        return new Losses().put("mse", loss);
    }

    /**
     * Scales all gradients so that their global L2 norm is at most {@code maxNorm} (Ho et al. clip
     * at 1), on the device, without a host sync.
     *
     * @param block the network
     * @param maxNorm the largest allowed norm
     */
    static void clipGradientNorm(Block block, float maxNorm) {
        java.util.List<NDArray> grads = new java.util.ArrayList<>();
        for (ai.djl.nn.Parameter p : Params.named(block).values()) {
            if (p.requiresGradient() && p.getArray().hasGradient()) {
                grads.add(p.getArray().getGradient());
            }
        }
        if (grads.isEmpty()) {
            return;
        }
        // DJL puts an op's result in its first operand's manager, here the parameters': work in
        // a sub-manager closed at the end, else every step leaves two arrays per parameter there
        try (NDManager tmp = NDManager.subManagerOf(grads.get(0))) {
            NDList squares = new NDList();
            for (NDArray g : grads) {
                g.attach(tmp);
                squares.add(g.square().sum().reshape(1));
            }
            NDArray norm = NDArrays.concat(squares).sum().sqrt();
            NDArray scale = norm.maximum(maxNorm).pow(-1).mul(maxNorm);
            for (NDArray g : grads) {
                g.muli(scale);
            }
        }
    }

    @Override
    public TrainState state() {
        return state;
    }

    /**
     * Runs a function with the EMA weights swapped into the model, then restores the raw weights.
     *
     * @param action what to do with the EMA-weighted denoiser
     */
    public void withEmaWeights(java.util.function.Consumer<Denoiser> action) {
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> saved = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : Params.arrays(model).entrySet()) {
                NDArray c = e.getValue().duplicate();
                c.attach(tmp);
                saved.put(e.getKey(), c);
            }
            Ema.copyInto(model, ema.state());
            try {
                action.accept(spec.denoiser(model));
            } finally {
                Ema.copyInto(model, saved);
            }
        }
    }

    @Override
    public void writeSamples(long step, Path folder) {
        withEmaWeights(
                d -> {
                    try (NDManager m = manager.newSubManager()) {
                        Seeds.seed(sampleSeed);
                        // 2D data: DDPM, unclipped (DDIM's x̂_0 = (x − √(1−ᾱ) ε̂)/√ᾱ blows up
                        // where ᾱ ≈ 0 without a clip range); images: DDIM with x̂_0 in [−1, 1]
                        Sampler sampler =
                                "mlp".equals(spec.network())
                                        ? DdpmSampler.builder()
                                                .setSchedule(schedule)
                                                .optClipDenoised(false)
                                                .build()
                                        : DdimSampler.builder()
                                                .setSchedule(schedule)
                                                .optSteps(Math.min(sampleSteps, schedule.steps()))
                                                .build();
                        Path file =
                                folder.resolve(String.format(Locale.ROOT, "step-%07d.png", step));
                        Provenance prov =
                                Provenance.builder()
                                        .optModel("diffusion " + spec.network())
                                        .optRun(runName)
                                        .optSeed(sampleSeed)
                                        .opt("step", Long.toString(step))
                                        .opt(
                                                "sampler",
                                                sampler.getClass().getSimpleName()
                                                        + "-"
                                                        + sampler.timesteps().length)
                                        .build();
                        if ("mlp".equals(spec.network())) {
                            NDArray x = sampler.sample(d, m, spec.batchShape(sampleCount), null);
                            Map<String, float[][]> series = new LinkedHashMap<>();
                            if (referencePoints != null) {
                                series.put("data", referencePoints);
                            }
                            series.put("samples", toPoints(x));
                            BufferedImage img =
                                    Charts.toImage(
                                            Charts.scatter(series, "DDPM samples, step " + step),
                                            600,
                                            600);
                            PngWriter.write(img, file, prov);
                            return;
                        }
                        Denoiser den = d;
                        NDArray labels = null;
                        int columns = (int) Math.ceil(Math.sqrt(sampleCount));
                        if (spec.numClasses() > 0) {
                            long[] l = new long[sampleCount];
                            for (int i = 0; i < sampleCount; i++) {
                                l[i] = i % spec.numClasses();
                            }
                            labels = m.create(l);
                            columns = spec.numClasses();
                            den = new ClassifierFreeGuidance(d, spec.numClasses(), guidance);
                        }
                        NDArray x = sampler.sample(den, m, spec.batchShape(sampleCount), labels);
                        BufferedImage img =
                                SampleGrid.builder()
                                        .setImages(x)
                                        .optColumns(columns)
                                        .optScale(spec.height() <= 32 ? 2 : 1)
                                        .build()
                                        .render();
                        PngWriter.write(img, file, prov);
                    }
                });
    }

    /**
     * Copies (N, 2) points to the host.
     *
     * @param x the points
     * @return N × {x, y}
     */
    public static float[][] toPoints(NDArray x) {
        float[] f = x.toFloatArray();
        int n = f.length / 2;
        float[][] p = new float[n][2];
        for (int i = 0; i < n; i++) {
            p[i][0] = f[2 * i];
            p[i][1] = f[2 * i + 1];
        }
        return p;
    }

    /**
     * Returns the network.
     *
     * @return the model
     */
    public Block model() {
        return model;
    }

    /**
     * Returns the EMA of the network's weights.
     *
     * @return the EMA
     */
    public Ema ema() {
        return ema;
    }

    /** Builds a {@link DiffusionTrainer}. */
    public static final class Builder {
        private Block model;
        private ModelSpec spec;
        private BatchSource data;
        private NDManager manager;
        private int batchSize = 64;
        private float learningRate = 2e-4f;
        private float emaDecay = 0.999f;
        private float labelDropout = 0.1f;
        private int sampleCount = 64;
        private int sampleSteps = 50;
        private long sampleSeed = 1234;
        private float guidance = 3f;
        private String runName = "";
        private float[][] referencePoints;
        private float gradientClip = 1f;

        private Builder() {}

        /**
         * Sets the initialised network and its spec.
         *
         * @param spec what the network is
         * @param model the network built by {@link ModelSpec#build}
         * @return this
         */
        public Builder setModel(ModelSpec spec, Block model) {
            this.spec = spec;
            this.model = model;
            return this;
        }

        /**
         * Sets where batches come from.
         *
         * @param data the source
         * @return this
         */
        public Builder setData(BatchSource data) {
            this.data = data;
            return this;
        }

        /**
         * Sets the manager holding the model (schedule tables go there too).
         *
         * @param manager the manager
         * @return this
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Sets B (default 64).
         *
         * @param batchSize B
         * @return this
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets Adam's learning rate (default 2·10⁻⁴, Ho et al.).
         *
         * @param lr the rate
         * @return this
         */
        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        /**
         * Sets the EMA decay (default 0.999; Ho et al. use 0.9999 over 800k steps).
         *
         * @param decay the decay
         * @return this
         */
        public Builder optEmaDecay(float decay) {
            this.emaDecay = decay;
            return this;
        }

        /**
         * Sets the probability of replacing the label by the null class (default 0.1).
         *
         * @param p the probability
         * @return this
         */
        public Builder optLabelDropout(float p) {
            this.labelDropout = p;
            return this;
        }

        /**
         * Sets the progress samples: how many, DDIM steps, noise seed, guidance weight.
         *
         * @param count samples per picture
         * @param steps DDIM steps
         * @param seed the fixed noise seed
         * @param guidanceWeight w for conditional models
         * @return this
         */
        public Builder optSamples(int count, int steps, long seed, float guidanceWeight) {
            this.sampleCount = count;
            this.sampleSteps = steps;
            this.sampleSeed = seed;
            this.guidance = guidanceWeight;
            return this;
        }

        /**
         * Clips the global gradient norm (default 1, as Ho et al.; 0 turns clipping off).
         *
         * @param maxNorm the largest norm
         * @return this
         */
        public Builder optGradientClip(float maxNorm) {
            this.gradientClip = maxNorm;
            return this;
        }

        /**
         * Names the run in image provenance.
         *
         * @param name the run
         * @return this
         */
        public Builder optRunName(String name) {
            this.runName = name;
            return this;
        }

        /**
         * Sets data points drawn under 2D progress samples.
         *
         * @param points N × {x, y}
         * @return this
         */
        public Builder optReferencePoints(float[][] points) {
            this.referencePoints = points;
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public DiffusionTrainer build() {
            if (model == null || spec == null || data == null || manager == null) {
                throw new GenLabException(
                        "DiffusionTrainer: setModel, setData and setManager are required.");
            }
            if (batchSize < 1) {
                throw new GenLabException("The batch size must be ≥ 1, got " + batchSize + ".");
            }
            return new DiffusionTrainer(this);
        }
    }
}
