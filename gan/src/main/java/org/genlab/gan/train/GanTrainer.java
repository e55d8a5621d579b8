package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.ema.Ema;
import org.genlab.core.optim.Adam;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.sample.GanSampler;

/**
 * Trains a GAN: the run plumbing around {@link GanUpdate}, which is the algorithm (read that
 * first). The trainer seeds and initialises the networks, keeps an exponential moving average of G
 * (θ̄_G, {@link Ema}), names what the checkpoint saves (networks {@code G} and {@code D}, their
 * Adam states, G's EMA), draws progress samples, and describes the run for its {@code
 * config.properties}. Adam uses β₁ = 0.5 (Radford et al. 2016).
 *
 * <p>{@link #writeSamples} draws the same fixed noise batch every time (one row per class for a
 * conditional model), from the EMA weights by default, so the grids of a run form a film of its
 * progress. Run it with {@link org.genlab.core.train.TrainingLoop}, which adds checkpoints, resume,
 * the progress bar and divergence detection:
 *
 * <pre>{@code
 * GanTrainer gan = GanTrainer.builder().setManager(manager)
 *     .setGenerator(g).setDiscriminator(d).setData(mnist, 64)
 *     .optLoss(GanLoss.hinge()).optModelName("dcgan").build();
 * TrainingLoop.builder().setTask(gan).setManager(manager).setSteps(2000)
 *     .setRunFolder(run).optSampleEvery(500)
 *     .addListener(gan.collapseWatch())         // warns once if D wins outright
 *     .build().fit();
 * NDArray x = gan.withSamplingWeights(() -> g.generate(gan.parameterStore(), z, null, false));
 * }</pre>
 *
 * <p>G and D are any {@link Generator} and {@link Discriminator} — GenLab's ({@link GanModels},
 * {@link Builder#optModels}) or built around your own blocks. The run folder records which: the
 * settings of a {@link GanModels}, or {@code gan.model=custom} with your blocks' class names.
 */
public final class GanTrainer implements TrainingTask {

    private final NDManager manager;
    private final Generator generator;
    private final Discriminator discriminator;
    private final GanUpdate update;
    private final CollapseWatch collapseWatch;
    private final Ema ema;
    private final boolean sampleFromEma;
    private final ParameterStore ps;
    private final TrainState state;
    private final GanModels models;
    private final String modelName;
    private final long seed;
    private final List<String> classNames;
    private final float[][] referencePoints;
    private final NDArray fixedZ;
    private final NDArray fixedLabels;
    private final int columns;

    private GanTrainer(Builder b, Generator g, Discriminator d, BatchSource data) {
        manager = b.manager;
        generator = g;
        discriminator = d;
        models = b.models;
        modelName = b.modelName != null ? b.modelName : (models != null ? models.kind() : "gan");
        seed = b.seed;
        sampleFromEma = b.emaDecay > 0 && b.sampleFromEma;
        referencePoints = b.referencePoints;
        Seeds.seed(b.seed);
        if (!generator.isInitialized()) {
            generator.initialize(manager);
        }
        if (!discriminator.isInitialized()) {
            discriminator.initialize(manager);
        }
        Adam adamG =
                Adam.builder().optLearningRate(b.lrG).optBeta1(b.beta1).optBeta2(b.beta2).build();
        Adam adamD =
                Adam.builder().optLearningRate(b.lrD).optBeta1(b.beta1).optBeta2(b.beta2).build();
        ema =
                b.emaDecay > 0
                        ? Ema.builder().setBlock(generator).optDecay(b.emaDecay).build()
                        : null;
        ps = new ParameterStore(manager, false);
        int criticSteps = b.criticSteps > 0 ? b.criticSteps : b.loss.defaultCriticSteps();
        update =
                new GanUpdate(
                        generator, discriminator, b.loss, data, adamG, adamD, ema, criticSteps, ps);
        collapseWatch =
                CollapseWatch.builder()
                        .setLoss(b.loss)
                        .optCriticSteps(criticSteps)
                        .optLog(b.log)
                        .build();
        state =
                TrainState.builder()
                        .setModel(modelName)
                        .addNetwork("G", generator, adamG, ema)
                        .addNetwork("D", discriminator, adamD, null)
                        .build();
        int k = generator.numClasses();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(
                    b.classNames != null && i < b.classNames.size() ? b.classNames.get(i) : "" + i);
        }
        classNames = names;
        // the fixed noise: drawn once from the seed, kept for the whole run
        Seeds.seed(b.seed ^ 0x5DEECE66DL);
        if (!generator.isImage()) {
            columns = 0;
            fixedZ = manager.randomNormal(new Shape(b.sampleCount, generator.latentDim()));
            fixedLabels =
                    k > 0
                            ? manager.arange(0, b.sampleCount).toType(DataType.INT32, false).mod(k)
                            : null;
        } else if (k > 0) {
            columns = Math.max(1, b.sampleCount / k);
            NDArray perColumn = manager.randomNormal(new Shape(columns, generator.latentDim()));
            fixedZ = perColumn.tile(new long[] {k, 1});
            fixedLabels = manager.arange(0, k).toType(DataType.INT32, false).repeat(0, columns);
        } else {
            columns = (int) Math.max(1, Math.round(Math.sqrt(b.sampleCount)));
            fixedZ = manager.randomNormal(new Shape(b.sampleCount, generator.latentDim()));
            fixedLabels = null;
        }
    }

    /**
     * Creates a builder.
     *
     * @return a builder: non-saturating loss, lr 2e-4 for both, β₁ = 0.5, β₂ = 0.999, EMA 0.999, 64
     *     progress samples
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Losses step(long step, NDManager m) {
        return update.step(step, m);
    }

    @Override
    public TrainState state() {
        return state;
    }

    /**
     * Describes the networks for the run folder: the {@link GanModels} settings when the trainer
     * was given them ({@link Builder#optModels}), else {@link GanModels#customConfig} ({@code
     * gan.model=custom}, the classes of G's and D's bodies, sample shape, latent size, classes).
     *
     * @return key to value
     */
    @Override
    public Map<String, String> config() {
        return models != null
                ? models.toConfig()
                : GanModels.customConfig(generator, discriminator, modelName);
    }

    /**
     * Runs an action with the sampling weights in G — the EMA θ̄_G (unless there is none, or {@link
     * Builder#optSampleFromEma} turned it off) — and puts the trained weights back afterwards:
     *
     * <pre>{@code
     * NDArray x = gan.withSamplingWeights(() -> sampler.sample(manager, 64, null, 0f));
     * }</pre>
     *
     * @param action what to compute with G, e.g. samples
     * @param <T> the result type
     * @return the action's result
     */
    public <T> T withSamplingWeights(Supplier<T> action) {
        return sampleFromEma ? ema.withWeights(action) : action.get();
    }

    @Override
    public void writeSamples(long step, Path folder) {
        Path file = folder.resolve(String.format(Locale.ROOT, "step-%07d.png", step));
        GanSampler sampler =
                GanSampler.builder()
                        .setGenerator(generator)
                        .optModelName(modelName)
                        .optRunName(folder.toAbsolutePath().getParent().getFileName().toString())
                        .optSeed(seed)
                        .optClassNames(classNames)
                        .build();
        try (NDManager m = manager.newSubManager()) {
            // copies in m: G's intermediates go to its input's manager, not the run's
            NDArray z = fixedZ.duplicate();
            z.attach(m);
            NDArray labels = fixedLabels == null ? null : fixedLabels.duplicate();
            if (labels != null) {
                labels.attach(m);
            }
            NDArray x = withSamplingWeights(() -> generator.generate(ps, z, labels, false));
            if (generator.isImage()) {
                sampler.writeGrid(
                        x,
                        columns,
                        generator.isConditional() ? classNames : null,
                        file,
                        "step " + step);
            } else {
                sampler.writePoints(x, referencePoints, discriminator, ps, file, "step " + step);
            }
            x.close();
        }
    }

    /**
     * Returns the GAN update this trainer runs each step.
     *
     * @return the algorithm
     */
    public GanUpdate update() {
        return update;
    }

    /**
     * Returns the watch that notices a discriminator which has won outright (the collapse a too
     * high learning rate causes) and prints one warning with the usual cures to {@link
     * Builder#optLog}. It hears the losses the loop logs, so add it to the loop:
     *
     * <pre>{@code
     * TrainingLoop.builder().setTask(gan).addListener(gan.collapseWatch())...
     * }</pre>
     *
     * @return the watch, one per trainer
     */
    public CollapseWatch collapseWatch() {
        return collapseWatch;
    }

    /**
     * Returns the generator being trained (with its trained weights; see {@link
     * #withSamplingWeights}).
     *
     * @return G
     */
    public Generator generator() {
        return generator;
    }

    /**
     * Returns the discriminator being trained.
     *
     * @return D
     */
    public Discriminator discriminator() {
        return discriminator;
    }

    /**
     * Returns the parameter store the networks run with.
     *
     * @return the store
     */
    public ParameterStore parameterStore() {
        return ps;
    }

    /**
     * Returns the number of D updates per G update.
     *
     * @return n_critic
     */
    public int criticSteps() {
        return update.criticSteps();
    }

    /**
     * Returns the model name checkpoints are saved under.
     *
     * @return e.g. {@code gan-dcgan}
     */
    public String modelName() {
        return modelName;
    }

    /** Builds a {@link GanTrainer}. */
    public static final class Builder {
        private NDManager manager;
        private Generator generator;
        private Discriminator discriminator;
        private BatchSource data;
        private SampleSet sampleSet;
        private int batchSize;
        private GanModels models;
        private GanLoss loss = GanLoss.nonSaturating();
        private int criticSteps;
        private float lrG = 2e-4f;
        private float lrD = 2e-4f;
        private float beta1 = 0.5f;
        private float beta2 = 0.999f;
        private float emaDecay = 0.999f;
        private boolean sampleFromEma = true;
        private int sampleCount = 64;
        private long seed = 42;
        private String modelName;
        private List<String> classNames;
        private float[][] referencePoints;
        private PrintStream log = System.out;

        Builder() {}

        /**
         * Sets the manager the networks live in (and so the device).
         *
         * @param manager the manager
         * @return this builder
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Sets G (initialised here if it is not yet).
         *
         * @param generator the generator
         * @return this builder
         */
        public Builder setGenerator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /**
         * Sets D (initialised here if it is not yet).
         *
         * @param discriminator the discriminator
         * @return this builder
         */
        public Builder setDiscriminator(Discriminator discriminator) {
            this.discriminator = discriminator;
            return this;
        }

        /**
         * Sets where real batches come from: D's update i of step s reads batch s·n_critic + i.
         *
         * @param data the source
         * @return this builder
         */
        public Builder setData(BatchSource data) {
            this.data = data;
            this.sampleSet = null;
            return this;
        }

        /**
         * Reads real samples from a data set, epoch by epoch in an order drawn from the seed
         * ({@link BatchSource#shuffled}).
         *
         * @param data the examples, e.g. an {@code ImageDataset} or a {@code ToyDataset}
         * @param batchSize samples per batch
         * @return this builder
         */
        public Builder setData(SampleSet data, int batchSize) {
            this.sampleSet = data;
            this.batchSize = batchSize;
            this.data = null;
            return this;
        }

        /**
         * Trains the networks of GenLab's models: G and D are built from these settings here
         * (unless given with {@link #setGenerator} / {@link #setDiscriminator}, which must then be
         * the networks these settings build), the run folder records the settings so that {@code
         * genlab sample gan} can rebuild them, and checkpoints are named {@link GanModels#kind()}
         * unless {@link #optModelName} says otherwise.
         *
         * @param models the settings
         * @return this builder
         */
        public Builder optModels(GanModels models) {
            this.models = models;
            return this;
        }

        /**
         * Sets the adversarial loss.
         *
         * @param loss the loss (default non-saturating)
         * @return this builder
         */
        public Builder optLoss(GanLoss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets n_critic, the D updates per G update.
         *
         * @param criticSteps the count (default: the loss's default, 5 for WGAN-GP, else 1)
         * @return this builder
         */
        public Builder optCriticSteps(int criticSteps) {
            this.criticSteps = criticSteps;
            return this;
        }

        /**
         * Sets both learning rates.
         *
         * @param lr Adam's α for G and D (default 2e-4)
         * @return this builder
         */
        public Builder optLearningRate(float lr) {
            this.lrG = lr;
            this.lrD = lr;
            return this;
        }

        /**
         * Sets G's learning rate.
         *
         * @param lr α for G
         * @return this builder
         */
        public Builder optLearningRateG(float lr) {
            this.lrG = lr;
            return this;
        }

        /**
         * Sets D's learning rate.
         *
         * @param lr α for D
         * @return this builder
         */
        public Builder optLearningRateD(float lr) {
            this.lrD = lr;
            return this;
        }

        /**
         * Sets Adam's β₁.
         *
         * @param beta1 β₁ (default 0.5)
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets Adam's β₂.
         *
         * @param beta2 β₂ (default 0.999)
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets the decay of G's exponential moving average.
         *
         * @param decay d in [0, 1) (default 0.999); 0 keeps no EMA
         * @return this builder
         */
        public Builder optEmaDecay(float decay) {
            this.emaDecay = decay;
            return this;
        }

        /**
         * Chooses whether progress samples come from the EMA generator.
         *
         * @param fromEma true for the EMA (default), false for the trained G
         * @return this builder
         */
        public Builder optSampleFromEma(boolean fromEma) {
            this.sampleFromEma = fromEma;
            return this;
        }

        /**
         * Sets the number of samples in the progress grid.
         *
         * @param count samples (default 64; a conditional model shows count / classes per row)
         * @return this builder
         */
        public Builder optSampleCount(int count) {
            this.sampleCount = count;
            return this;
        }

        /**
         * Sets the seed of the initialisation and the fixed noise batch.
         *
         * @param seed the seed (default 42)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Names the model kind, checked when a checkpoint is loaded.
         *
         * @param name e.g. {@code dcgan} (default {@code gan}, or the {@link GanModels#kind()} of
         *     {@link #optModels})
         * @return this builder
         */
        public Builder optModelName(String name) {
            this.modelName = name;
            return this;
        }

        /**
         * Names the classes for the rows of a conditional grid.
         *
         * @param names one name per class (default the class numbers)
         * @return this builder
         */
        public Builder optClassNames(List<String> names) {
            this.classNames = names;
            return this;
        }

        /**
         * Sets real points to draw under the samples of a 2D model.
         *
         * @param points the points, each {x, y}
         * @return this builder
         */
        public Builder optReferencePoints(float[][] points) {
            this.referencePoints = points;
            return this;
        }

        /**
         * Sets where the trainer's warnings go ({@link #collapseWatch()}).
         *
         * @param log the stream (default {@code System.out})
         * @return this builder
         */
        public Builder optLog(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * Builds the trainer, initialising networks that are not yet.
         *
         * @return the trainer
         */
        public GanTrainer build() {
            Generator g = generator;
            Discriminator d = discriminator;
            if (models != null) {
                g = g != null ? g : models.newGenerator();
                d = d != null ? d : models.newDiscriminator();
            }
            if (manager == null || g == null || d == null || (data == null && sampleSet == null)) {
                throw new GenLabException(
                        "A GAN trainer needs a manager, a generator and a discriminator (or"
                                + " optModels), and data.");
            }
            if (g.numClasses() != d.numClasses()) {
                throw new GenLabException(
                        "G has "
                                + g.numClasses()
                                + " classes but D has "
                                + d.numClasses()
                                + ": build both conditional on the same classes, or neither.");
            }
            if (criticSteps < 0 || sampleCount < 1 || emaDecay < 0 || emaDecay >= 1) {
                throw new GenLabException(
                        "criticSteps must be >= 0 (0: the loss's default), sampleCount >= 1,"
                                + " emaDecay in [0, 1).");
            }
            BatchSource source =
                    data != null ? data : BatchSource.shuffled(sampleSet, batchSize, seed);
            return new GanTrainer(this, g, d, source);
        }
    }
}
