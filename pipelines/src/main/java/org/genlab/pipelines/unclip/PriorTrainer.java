package org.genlab.pipelines.unclip;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Gradients;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;

/**
 * Trains a {@link Prior} as a task of the core {@code TrainingLoop}. One step:
 *
 * <pre>
 *   (z_i, z_t) = a batch of {@link PriorData#pairs()}
 *   L = prior.loss(z_i, z_t)       1 − cos (regression) or ‖x_0 − f(x_t, t, c)‖² (diffusion)
 *   Adam step on f, then θ̄ ← d θ̄ + (1 − d) θ (the EMA that {@link Prior#open} samples with)
 * </pre>
 *
 * <pre>{@code
 * Prior prior = DiffusionPrior.create(data.dim(), 512, 4, manager);
 * PriorTrainer trainer = PriorTrainer.builder().setPrior(prior)
 *         .setData(BatchSource.shuffled(data.pairs(), 256, seed)).setManager(manager).build();
 * TrainingLoop.builder().setTask(trainer).setSteps(3000).setRunFolder(RunFolder.create(dir))
 *         .setManager(manager).build().fit();
 * Prior trained = Prior.open(dir, manager);
 * }</pre>
 *
 * Losses logged: {@code loss}.
 */
public final class PriorTrainer implements TrainingTask {

    /** The default learning rate. */
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;

    /** The default EMA decay. */
    public static final float DEFAULT_EMA_DECAY = 0.999f;

    private final Prior prior;
    private final BatchSource data;
    private final float learningRate;
    private final float emaDecay;
    private final float gradientClip;
    private final Adam adam;
    private final Ema ema;
    private final ParameterStore ps;
    private final TrainState state;

    private PriorTrainer(Builder b) {
        prior = b.prior;
        data = b.data;
        learningRate = b.learningRate;
        emaDecay = b.emaDecay;
        gradientClip = b.gradientClip;
        adam = Adam.builder().optLearningRate(learningRate).build();
        ema =
                emaDecay > 0
                        ? Ema.builder().setBlock(prior.network()).optDecay(emaDecay).build()
                        : null;
        ps = new ParameterStore(b.manager, false);
        state =
                TrainState.builder()
                        .setModel(Prior.MODEL)
                        .addNetwork(Prior.NETWORK, prior.network(), adam, ema)
                        .build();
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
        NDArray pairs = batch.samples();
        if (pairs.getShape().dimension() != 3 || pairs.getShape().get(1) != 2) {
            throw new GenLabException(
                    "PriorTrainer needs (B, 2, D) pairs of embeddings, got "
                            + pairs.getShape()
                            + ": give it BatchSource.shuffled(priorData.pairs(), …).");
        }
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(prior.network());
            loss = prior.loss(ps, PriorData.image(pairs), PriorData.text(pairs));
            gc.backward(loss);
        }
        if (gradientClip > 0) {
            Gradients.clipNorm(prior.network(), gradientClip);
        }
        adam.step(prior.network());
        if (ema != null) {
            ema.update();
        }
        return new Losses().put("loss", loss);
    }

    @Override
    public TrainState state() {
        return state;
    }

    /**
     * Describes the run: {@code model=prior}, the prior's {@link Prior#toConfig}, the learning
     * rate, the EMA decay and the gradient clip.
     *
     * @return key to value
     */
    @Override
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("model", Prior.MODEL);
        c.putAll(prior.toConfig());
        c.put("lr", Float.toString(learningRate));
        c.put("emaDecay", Float.toString(emaDecay));
        c.put("gradientClip", Float.toString(gradientClip));
        return c;
    }

    /**
     * Returns the prior being trained (its network holds the trained weights θ, not the EMA).
     *
     * @return the prior
     */
    public Prior prior() {
        return prior;
    }

    /** Builds a {@link PriorTrainer}. */
    public static final class Builder {
        private Prior prior;
        private BatchSource data;
        private NDManager manager;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private float emaDecay = DEFAULT_EMA_DECAY;
        private float gradientClip = 1f;

        Builder() {}

        /**
         * Sets the prior to train.
         *
         * @param prior a {@link RegressionPrior} or a {@link DiffusionPrior}
         * @return this
         */
        public Builder setPrior(Prior prior) {
            this.prior = prior;
            return this;
        }

        /**
         * Sets the batches: (B, 2, D) pairs, {@code BatchSource.shuffled(data.pairs(), B, seed)}.
         *
         * @param data the source
         * @return this
         */
        public Builder setData(BatchSource data) {
            this.data = data;
            return this;
        }

        /**
         * Sets the manager holding the network.
         *
         * @param manager the manager
         * @return this
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Sets Adam's learning rate.
         *
         * @param lr the rate (default {@value PriorTrainer#DEFAULT_LEARNING_RATE})
         * @return this
         */
        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        /**
         * Sets the EMA decay d.
         *
         * @param decay d in [0, 1) (default {@value PriorTrainer#DEFAULT_EMA_DECAY}); 0 for none
         * @return this
         */
        public Builder optEmaDecay(float decay) {
            this.emaDecay = decay;
            return this;
        }

        /**
         * Clips the global gradient norm before each step.
         *
         * @param maxNorm the largest norm (default 1); 0 turns clipping off
         * @return this
         */
        public Builder optGradientClip(float maxNorm) {
            this.gradientClip = maxNorm;
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public PriorTrainer build() {
            if (prior == null || data == null || manager == null) {
                throw new GenLabException(
                        "PriorTrainer: setPrior, setData and setManager are required.");
            }
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new GenLabException("The learning rate must be > 0, got " + learningRate);
            }
            if (!(emaDecay >= 0 && emaDecay < 1)) {
                throw new GenLabException("The EMA decay must be in [0, 1), got " + emaDecay);
            }
            if (!(gradientClip >= 0) || Float.isInfinite(gradientClip)) {
                throw new GenLabException("The gradient clip must be >= 0, got " + gradientClip);
            }
            return new PriorTrainer(this);
        }
    }
}
