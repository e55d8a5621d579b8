package org.genlab.diffusion.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Gradients;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;
import org.genlab.diffusion.flow.FlowMatchingLoss;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.viz.ProgressSamples;

/**
 * Trains a denoiser as a task of the core {@code TrainingLoop}: each step is one {@link DdpmLoss}
 * (Algorithm 1 of Ho et al. 2020, with the label dropout of classifier-free guidance) or, for a
 * {@link Prediction#FLOW} model, one {@link FlowMatchingLoss} (Lipman et al. 2023), then the
 * plumbing — gradient-norm clip, Adam, an EMA of the weights for sampling, progress pictures drawn
 * with the EMA weights ({@link ProgressSamples}), the state to checkpoint and the run's description
 * ({@link #config()}).
 *
 * <p>The denoiser is any DJL block taking {@code (x_t, t[, labels])}; say what it predicts, the
 * shape of one sample and the number of classes. The batch size belongs to the data source:
 *
 * <pre>{@code
 * MyDenoiser net = new MyDenoiser();                    // e.g. a LazyBlock of your own
 * net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
 * DiffusionTrainer trainer = DiffusionTrainer.builder()
 *         .setDenoiser(net)
 *         .setSampleShape(new Shape(1, 28, 28))
 *         .optPrediction(Prediction.V)
 *         .optSchedule(NoiseSchedule.cosine(1000))
 *         .setData(BatchSource.shuffled(mnist, 64, seed))
 *         .setManager(manager)
 *         .build();
 * TrainingLoop.builder().setTask(trainer).setSteps(3000).setRunFolder(run).setSeed(seed)
 *         .setManager(manager).build().fit();
 * NDArray x = trainer.ema().withWeights(() -> DdimSampler.builder()
 *         .setSchedule(trainer.schedule()).build()
 *         .sample(trainer.denoiser(), manager, new Shape(16, 1, 28, 28), null));
 * }</pre>
 *
 * A built-in network comes with its {@link ModelSpec}: {@code setModel(spec, spec.build(manager))}
 * sets the denoiser, shape, prediction, classes and schedule at once, and the run folder can then
 * be sampled by {@code genlab sample diffusion}.
 */
public final class DiffusionTrainer implements TrainingTask {

    /** The model name written into checkpoints. */
    public static final String MODEL = "diffusion";

    /** The denoiser's name inside checkpoints. */
    public static final String NETWORK = "denoiser";

    /** What a flow-matching run records as its {@code schedule}: it has none. */
    public static final String FLOW_SCHEDULE = "flow";

    private final Block model;
    private final ModelSpec spec;
    private final Shape sampleShape;
    private final Prediction prediction;
    private final int numClasses;
    private final NoiseSchedule schedule;
    private final Objective loss;
    private final BatchSource data;
    private final Adam adam;
    private final Ema ema;
    private final ParameterStore ps;
    private final TrainState state;
    private final NDManager manager;
    private final ProgressSamples progress;
    private final float gradientClip;
    private final Map<String, String> config;

    private DiffusionTrainer(Builder b) {
        model = b.model;
        spec = b.spec;
        sampleShape = b.sampleShape;
        prediction = b.prediction;
        numClasses = b.numClasses;
        schedule = b.schedule;
        manager = b.manager;
        loss =
                prediction == Prediction.FLOW
                        ? new FlowMatchingLoss(
                                model, numClasses, b.labelDropout, b.timeSampling, b.captions)
                        : new DdpmLoss(
                                model,
                                schedule.tensors(manager),
                                prediction,
                                numClasses,
                                b.labelDropout,
                                b.captions);
        data = b.data;
        adam = Adam.builder().optLearningRate(b.learningRate).build();
        ema = Ema.builder().setBlock(model).optDecay(b.emaDecay).build();
        ps = new ParameterStore(manager, false);
        state = TrainState.builder().setModel(MODEL).addNetwork(NETWORK, model, adam, ema).build();
        String name = spec != null ? spec.network() : model.getClass().getSimpleName();
        progress =
                ProgressSamples.builder()
                        .setSchedule(schedule)
                        .setSampleShape(sampleShape)
                        .optNumClasses(numClasses)
                        .optSamples(b.sampleCount, b.sampleSteps, b.sampleSeed, b.guidance)
                        .optNames(name, b.runName)
                        .optReferencePoints(b.referencePoints)
                        .optDecoder(b.decoder)
                        .optPrompts(b.promptIds)
                        .optConditions(b.conditionRows, b.conditionImages)
                        .build();
        gradientClip = b.gradientClip;
        config = describe(b);
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
        Batch batch = data.next(m, step);
        NDArray x0 = batch.samples();
        if (!sameShape(x0.getShape().slice(1), sampleShape)) {
            throw new GenLabException(
                    "The data's samples are "
                            + x0.getShape().slice(1)
                            + " but the trainer's sample shape is "
                            + sampleShape
                            + ".");
        }
        NDArray mse;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(model);
            mse = loss.forward(ps, x0, batch.labels());
            gc.backward(mse);
        }
        if (gradientClip > 0) {
            Gradients.clipNorm(model, gradientClip);
        }
        adam.step(model);
        ema.update();
        return new Losses().put("mse", mse);
    }

    @Override
    public TrainState state() {
        return state;
    }

    /** Draws the progress picture with the EMA weights ({@link ProgressSamples}). */
    @Override
    public void writeSamples(long step, Path folder) {
        ema.withWeights(() -> progress.write(denoiser(), manager, step, folder));
    }

    /**
     * Describes the run for {@code config.properties}. A built-in network writes its {@link
     * ModelSpec} (so the CLI can rebuild it); a custom one writes {@code network=custom}, its
     * {@code networkClass}, the sample shape, {@code classes}, {@code schedule} (the schedule's
     * name), {@code timesteps} and {@code prediction}. Both add the optimisation settings.
     *
     * @return key to value
     */
    @Override
    public Map<String, String> config() {
        return new LinkedHashMap<>(config);
    }

    private static boolean sameShape(Shape a, Shape b) {
        return java.util.Arrays.equals(a.getShape(), b.getShape());
    }

    private static Map<String, String> describe(Builder b) {
        Map<String, String> c = new LinkedHashMap<>();
        if (b.spec != null) {
            c.putAll(b.spec.toConfig());
        } else {
            c.put("network", ModelSpec.CUSTOM);
            c.put("networkClass", b.model.getClass().getName());
            long[] s = b.sampleShape.getShape();
            c.put("sampleShape", b.sampleShape.toString());
            c.put("channels", Long.toString(s[0]));
            c.put("height", Long.toString(s.length > 1 ? s[1] : 1));
            c.put("width", Long.toString(s.length > 2 ? s[2] : 1));
        }
        c.put("classes", Integer.toString(b.numClasses));
        if (b.prediction == Prediction.FLOW) {
            c.put("schedule", FLOW_SCHEDULE);
            c.put("timesteps", Integer.toString(FlowPath.TIME_SCALE));
            c.put("flowTime", b.timeSampling.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        } else {
            c.put("schedule", b.schedule.name());
            c.put("timesteps", Integer.toString(b.schedule.steps()));
        }
        c.put("prediction", b.prediction.name().toLowerCase(Locale.ROOT));
        c.put("lr", Float.toString(b.learningRate));
        c.put("emaDecay", Float.toString(b.emaDecay));
        c.put("labelDropout", Float.toString(b.labelDropout));
        c.put("gradientClip", Float.toString(b.gradientClip));
        return c;
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
     * Returns the network as a {@link Denoiser} for the samplers (with whatever weights are in it:
     * call it inside {@code ema().withWeights(...)} to sample with the EMA).
     *
     * @return the denoiser
     */
    public Denoiser denoiser() {
        return Denoiser.of(model, prediction);
    }

    /**
     * Returns the EMA of the network's weights; {@code ema().withWeights(() -> ...)} samples with
     * them.
     *
     * @return the EMA
     */
    public Ema ema() {
        return ema;
    }

    /**
     * Returns the noise schedule the network is trained with ({@code null} for flow matching, whose
     * path is the straight line of {@link FlowPath}).
     *
     * @return the schedule
     */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /**
     * Returns the shape of one sample.
     *
     * @return (C, H, W) or (D)
     */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** Builds a {@link DiffusionTrainer}. */
    public static final class Builder {
        private Block model;
        private ModelSpec spec;
        private Shape sampleShape;
        private Prediction prediction = Prediction.EPSILON;
        private int numClasses;
        private NoiseSchedule schedule;
        private BatchSource data;
        private NDManager manager;
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
        private FlowMatchingLoss.TimeSampling timeSampling =
                FlowMatchingLoss.TimeSampling.LOGIT_NORMAL;
        private UnaryOperator<NDArray> decoder;
        private boolean captions;
        private long[][] promptIds;
        private float[][] conditionRows;
        private NDArray conditionImages;

        private Builder() {}

        /**
         * Sets the denoiser: any initialised block whose forward takes {@code (x_t (B, …), t
         * float32 (B)[, labels int64 (B)])} and returns one array shaped like x_t. A
         * class-conditional one takes labels 0 … K−1 and K for the null class ∅ (see {@link
         * #optNumClasses}).
         *
         * @param network the network
         * @return this
         */
        public Builder setDenoiser(Block network) {
            this.model = network;
            this.spec = null;
            return this;
        }

        /**
         * Sets the shape of one training sample.
         *
         * @param shape (C, H, W) for images, (D) for points
         * @return this
         */
        public Builder setSampleShape(Shape shape) {
            this.sampleShape = shape;
            return this;
        }

        /**
         * Sets what the denoiser predicts, and so the objective (default ε): ε or v train with
         * {@link DdpmLoss}, {@link Prediction#FLOW} with {@link FlowMatchingLoss}.
         *
         * @param prediction ε, v or the flow velocity
         * @return this
         */
        public Builder optPrediction(Prediction prediction) {
            this.prediction = prediction;
            return this;
        }

        /**
         * Makes the model class-conditional with K classes (default 0): labels are dropped to the
         * null class K with the probability of {@link #optLabelDropout}.
         *
         * @param numClasses K
         * @return this
         */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Makes the model text-conditional (set by {@link #setModel} for a spec that reads
         * captions): the data's labels are a caption's token ids (B, L), and a caption is replaced
         * by the empty caption ∅ (a row of zeros) with the probability of {@link #optLabelDropout}
         * (GLIDE's caption dropout).
         *
         * @param captions true when the denoiser's third input is token ids
         * @return this
         */
        public Builder optCaptions(boolean captions) {
            this.captions = captions;
            return this;
        }

        /**
         * Sets the prompts the progress pictures draw (a text-conditional model): one column per
         * prompt, guided with the weight of {@link #optSamples}.
         *
         * @param ids the prompts' token ids, one row each
         * @return this
         */
        public Builder optPrompts(long[][] ids) {
            this.promptIds = ids;
            return this;
        }

        /**
         * Sets the condition vectors the progress pictures draw (a model conditioned on vectors,
         * e.g. an unCLIP decoder on CLIP image embeddings): one column per vector, guided with the
         * weight of {@link #optSamples}, under a first row of the images they came from.
         *
         * @param rows the condition vectors, one row each (or {@code null})
         * @param images their source images (n, C, H, W) in [−1, 1] (or {@code null})
         * @return this
         */
        public Builder optConditions(float[][] rows, NDArray images) {
            this.conditionRows = rows;
            this.conditionImages = images;
            return this;
        }

        /**
         * Sets the noise schedule (default {@code NoiseSchedule.linear(1000)}, Ho et al.).
         *
         * @param schedule a built-in or your own ({@link NoiseSchedule#fromBetas}, {@link
         *     NoiseSchedule#fromAlphaBars})
         * @return this
         */
        public Builder optSchedule(NoiseSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Sets a built-in network and its description: the denoiser, sample shape, prediction,
         * classes and schedule come from the spec, and the run folder records the spec so that the
         * CLI can rebuild the network. A later {@link #optSchedule} replaces the spec's schedule.
         *
         * @param spec what the network is
         * @param network the network built by {@link ModelSpec#build}
         * @return this
         */
        public Builder setModel(ModelSpec spec, Block network) {
            this.model = network;
            this.spec = spec;
            this.sampleShape = spec.sampleShape();
            this.prediction = spec.prediction();
            this.numClasses = spec.numClasses();
            this.captions = spec.hasContext();
            this.schedule = spec.prediction() == Prediction.FLOW ? null : spec.noiseSchedule();
            return this;
        }

        /**
         * Sets where batches come from, usually {@code BatchSource.shuffled(set, batchSize, seed)}.
         *
         * @param data the source; its batch size is the training batch size
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
         * Sets how flow matching draws its training times s (default logit-normal: on MNIST
         * latents, 2.3 min of training on 2 CPU cores gave FLD 166 against 192 for uniform times).
         *
         * @param timeSampling p(s)
         * @return this
         */
        public Builder optTimeSampling(FlowMatchingLoss.TimeSampling timeSampling) {
            this.timeSampling = timeSampling;
            return this;
        }

        /**
         * Decodes the progress samples before drawing them (latent diffusion: the autoencoder's
         * decoder).
         *
         * @param decoder latents → images in [−1, 1]
         * @return this
         */
        public Builder optDecoder(UnaryOperator<NDArray> decoder) {
            this.decoder = decoder;
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
            if (model == null || sampleShape == null || data == null || manager == null) {
                throw new GenLabException(
                        "DiffusionTrainer: setDenoiser (or setModel), setSampleShape, setData and"
                                + " setManager are required.");
            }
            if (sampleShape.dimension() < 1) {
                throw new GenLabException("DiffusionTrainer: the sample shape is empty.");
            }
            if (numClasses < 0) {
                throw new GenLabException("The number of classes must be ≥ 0, got " + numClasses);
            }
            if (spec != null
                    && (!sameShape(spec.sampleShape(), sampleShape)
                            || spec.numClasses() != numClasses
                            || spec.prediction() != prediction)) {
                throw new GenLabException(
                        "DiffusionTrainer: the spec of setModel says "
                                + spec.sampleShape()
                                + ", "
                                + spec.numClasses()
                                + " classes, "
                                + spec.prediction()
                                + ", but the builder was then given "
                                + sampleShape
                                + ", "
                                + numClasses
                                + " classes, "
                                + prediction
                                + ".");
            }
            if (prediction == Prediction.FLOW) {
                if (schedule != null) {
                    throw new GenLabException(
                            "DiffusionTrainer: a flow-matching model has no noise schedule (its"
                                    + " path is a straight line); drop optSchedule.");
                }
            } else if (schedule == null) {
                schedule = NoiseSchedule.linear(1000);
            }
            return new DiffusionTrainer(this);
        }
    }
}
