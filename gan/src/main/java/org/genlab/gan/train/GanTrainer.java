package org.genlab.gan.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Gradients;
import org.genlab.core.nn.Scalars;
import org.genlab.core.optim.Adam;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.loss.GradientPenalty;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.sample.GanSampler;

/**
 * Trains a GAN (Goodfellow et al. 2014, Algorithm 1): each step makes {@code n_critic} updates of D
 * and then one update of G.
 *
 * <pre>
 *   D step:  x ~ data, z ~ N(0, I), x̃ = G(z) (gradient stopped)
 *            θ_D ← Adam(∇ L_D(D(x), D(x̃)) [+ λ·GP])
 *   G step:  z ~ N(0, I)
 *            θ_G ← Adam(∇ L_G(D(G(z))));   θ̄_G ← EMA(θ_G)
 * </pre>
 *
 * <p>Only one gradient collector is open at a time, and each starts by zeroing every gradient: the
 * G step's backward also fills D's gradients, which would otherwise leak into the next D step. Adam
 * uses β₁ = 0.5 (Radford et al. 2016). A conditional model feeds the real batch's labels to both
 * networks. Each step logs {@code D} and {@code G} (the losses), {@code D(x)} and {@code D(G(z))}
 * (mean σ(logit) on real and generated samples), {@code D acc} (how often D is right) and, for
 * WGAN-GP, {@code GP}.
 *
 * <p>{@link #writeSamples} draws the same fixed noise batch every time (one row per class for a
 * conditional model), from the EMA generator by default, so the grids of a run form a film of its
 * progress. Run it with {@link org.genlab.core.train.TrainingLoop}, which adds checkpoints, resume,
 * the progress bar and divergence detection:
 *
 * <pre>{@code
 * GanTrainer gan = GanTrainer.builder().setManager(manager)
 *     .setGenerator(g).setDiscriminator(d).setData(batches)
 *     .optLoss(GanLoss.hinge()).optModelName("dcgan").build();
 * TrainingLoop.builder().setTask(gan).setManager(manager).setSteps(2000)
 *     .setRunFolder(run).optSampleEvery(500).build().fit();
 * }</pre>
 */
public final class GanTrainer implements TrainingTask {

    private final NDManager manager;
    private final Generator generator;
    private final Discriminator discriminator;
    private final Generator emaGenerator;
    private final BatchSource data;
    private final GanLoss loss;
    private final int criticSteps;
    private final Adam adamG;
    private final Adam adamD;
    private final Ema ema;
    private final boolean sampleFromEma;
    private final ParameterStore ps;
    private final TrainState state;
    private final String modelName;
    private final long seed;
    private final List<String> classNames;
    private final float[][] referencePoints;
    private final NDArray fixedZ;
    private final NDArray fixedLabels;
    private final int columns;

    private GanTrainer(Builder b) {
        manager = b.manager;
        generator = b.generator;
        discriminator = b.discriminator;
        data = b.data;
        loss = b.loss;
        criticSteps = b.criticSteps > 0 ? b.criticSteps : loss.defaultCriticSteps();
        modelName = b.modelName;
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
        adamG = Adam.builder().optLearningRate(b.lrG).optBeta1(b.beta1).optBeta2(b.beta2).build();
        adamD = Adam.builder().optLearningRate(b.lrD).optBeta1(b.beta1).optBeta2(b.beta2).build();
        if (b.emaDecay > 0) {
            ema = Ema.builder().setBlock(generator).optDecay(b.emaDecay).build();
            emaGenerator = generator.newInstance();
            emaGenerator.initialize(manager);
        } else {
            ema = null;
            emaGenerator = null;
        }
        ps = new ParameterStore(manager, false);
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
        int k = generator.numClasses();
        NDArray lossD = null;
        NDArray realLogits = null;
        NDArray fakeLogits = null;
        NDArray penalty = null;
        NDArray labels = null;
        long n = 0;
        for (int i = 0; i < criticSteps; i++) {
            Batch batch = data.next(m, step * criticSteps + i);
            NDArray x = batch.samples();
            n = x.getShape().get(0);
            labels = k > 0 ? requireLabels(batch) : null;
            NDArray z = m.randomNormal(new Shape(n, generator.latentDim()));
            // outside any collector: no graph is built for G here
            NDArray fake = generator.generate(ps, z, labels, true).stopGradient();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Gradients.zero(generator, discriminator);
                realLogits = discriminator.logits(ps, x, labels, true);
                fakeLogits = discriminator.logits(ps, fake, labels, true);
                lossD = loss.discriminatorLoss(realLogits, fakeLogits);
                NDArray total = lossD;
                if (loss.gradientPenaltyWeight() > 0) {
                    penalty =
                            GradientPenalty.penalty(
                                    discriminator,
                                    ps,
                                    GradientPenalty.interpolate(x, fake),
                                    labels);
                    total = lossD.add(Scalars.mul(penalty, loss.gradientPenaltyWeight()));
                }
                gc.backward(total);
            }
            adamD.step(discriminator);
        }
        NDArray lossG;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(generator, discriminator);
            NDArray z = m.randomNormal(new Shape(n, generator.latentDim()));
            NDArray fake = generator.generate(ps, z, labels, true);
            lossG = loss.generatorLoss(discriminator.logits(ps, fake, labels, true));
            gc.backward(lossG);
        }
        adamG.step(generator);
        if (ema != null) {
            ema.update();
        }
        NDArray r = realLogits.stopGradient();
        NDArray f = fakeLogits.stopGradient();
        NDArray accuracy =
                r.gt(0)
                        .toType(DataType.FLOAT32, false)
                        .mean()
                        .add(f.lte(0).toType(DataType.FLOAT32, false).mean())
                        .mul(0.5f);
        Losses out =
                new Losses()
                        .put("D", lossD)
                        .put("G", lossG)
                        .put("D(x)", r.getNDArrayInternal().sigmoid().mean())
                        .put("D(G(z))", f.getNDArrayInternal().sigmoid().mean())
                        .put("D acc", accuracy);
        if (penalty != null) {
            out.put("GP", penalty);
        }
        return out;
    }

    private static NDArray requireLabels(Batch batch) {
        if (batch.labels() == null) {
            throw new GenLabException(
                    "A conditional GAN needs class labels, but the data source gave none. Train"
                            + " without --conditional, or use a labelled data set.");
        }
        return batch.labels();
    }

    @Override
    public TrainState state() {
        return state;
    }

    /**
     * Returns the generator used for samples: the EMA copy (refreshed now) or the trained one.
     *
     * @return the sampling generator
     */
    public Generator samplingGenerator() {
        if (sampleFromEma) {
            ema.copyTo(emaGenerator);
            return emaGenerator;
        }
        return generator;
    }

    @Override
    public void writeSamples(long step, Path folder) {
        Generator g = samplingGenerator();
        Path file = folder.resolve(String.format(Locale.ROOT, "step-%07d.png", step));
        GanSampler sampler =
                GanSampler.builder()
                        .setGenerator(g)
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
            NDArray x = g.generate(ps, z, labels, false);
            if (g.isImage()) {
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
     * Returns the generator being trained.
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
        return criticSteps;
    }

    /** Builds a {@link GanTrainer}. */
    public static final class Builder {
        private NDManager manager;
        private Generator generator;
        private Discriminator discriminator;
        private BatchSource data;
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
        private String modelName = "gan";
        private List<String> classNames;
        private float[][] referencePoints;

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
         * Sets where real batches come from.
         *
         * @param data the source
         * @return this builder
         */
        public Builder setData(BatchSource data) {
            this.data = data;
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
         * @param name e.g. {@code dcgan} (default {@code gan})
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
         * Builds the trainer, initialising networks that are not yet.
         *
         * @return the trainer
         */
        public GanTrainer build() {
            if (manager == null || generator == null || discriminator == null || data == null) {
                throw new GenLabException(
                        "A GAN trainer needs a manager, a generator, a discriminator and data.");
            }
            if (generator.numClasses() != discriminator.numClasses()) {
                throw new GenLabException(
                        "G has "
                                + generator.numClasses()
                                + " classes but D has "
                                + discriminator.numClasses()
                                + ": build both conditional on the same classes, or neither.");
            }
            if (criticSteps < 0 || sampleCount < 1 || emaDecay < 0 || emaDecay >= 1) {
                throw new GenLabException(
                        "criticSteps must be >= 0 (0: the loss's default), sampleCount >= 1,"
                                + " emaDecay in [0, 1).");
            }
            return new GanTrainer(this);
        }
    }
}
