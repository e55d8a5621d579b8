package org.genlab.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Params;

/**
 * Adam (Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), with its state
 * owned here so that checkpoints can save it.
 *
 * <p>For each parameter θ with gradient g, at step t:
 *
 * <pre>
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − α · √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε)
 * </pre>
 *
 * GANs train with β₁ = 0.5 (Radford et al. 2015); diffusion models with the default β₁ = 0.9.
 *
 * <pre>{@code
 * Adam adam = Adam.builder().optLearningRate(2e-4f).optBeta1(0.5f).build();
 * // after the backward pass:
 * adam.step(generator);
 * }</pre>
 */
public final class Adam {

    private float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float weightDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long t;

    private Adam(Builder b) {
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
    }

    /**
     * Creates a builder.
     *
     * @return a builder with α = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Updates every trainable parameter of a network from its gradient. Call it after the backward
     * pass and outside the gradient collector. It does not zero the gradients: zero them when the
     * next step's collector opens.
     *
     * @param block the network whose gradients were just computed
     */
    public void step(Block block) {
        try (NoGrad scope = NoGrad.enter()) {
            update(block);
        }
    }

    private void update(Block block) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        float lrCorrected = (float) (learningRate * Math.sqrt(c2) / c1);
        for (Map.Entry<String, Parameter> e : Params.named(block).entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray w = p.getArray();
            NDArray mean = m.computeIfAbsent(e.getKey(), k -> w.zerosLike());
            NDArray var = v.computeIfAbsent(e.getKey(), k -> w.zerosLike());
            try (NDArray g = w.getGradient()) {
                w.getNDArrayInternal()
                        .adamUpdate(
                                new NDList(w, g, mean, var),
                                new NDList(w),
                                learningRate,
                                lrCorrected,
                                weightDecay,
                                1f,
                                -1f,
                                beta1,
                                beta2,
                                epsilon,
                                false,
                                false);
            }
        }
    }

    /**
     * Returns how many updates this optimizer has made.
     *
     * @return the step count t
     */
    public long getStepCount() {
        return t;
    }

    /**
     * Returns the learning rate α.
     *
     * @return α
     */
    public float getLearningRate() {
        return learningRate;
    }

    /**
     * Changes the learning rate α, e.g. for a decay schedule. Schedules should derive α from the
     * step number so that a resumed run uses the same α.
     *
     * @param learningRate the new α
     */
    public void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    /**
     * Returns the state to save: {@code m/NAME} and {@code v/NAME} for each parameter.
     *
     * @return the moment estimates by name (live arrays: save them, do not close them)
     */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m/" + k, a));
        v.forEach((k, a) -> out.put("v/" + k, a));
        return out;
    }

    /**
     * Restores saved state. The arrays are moved to the device of the network's parameters.
     *
     * @param block the network this optimizer updates
     * @param state the moment estimates, as {@link #state()} returned them
     * @param stepCount the saved step count t
     */
    public void load(Block block, Map<String, NDArray> state, long stepCount) {
        Map<String, Parameter> params = Params.named(block);
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
        m.clear();
        v.clear();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            String key = e.getKey();
            boolean isMean = key.startsWith("m/");
            String name = key.substring(2);
            Parameter p = params.get(name);
            if (p == null || !(isMean || key.startsWith("v/"))) {
                throw new GenLabException(
                        "Optimizer state names parameter '"
                                + name
                                + "', which this network does not have: the checkpoint is from"
                                + " another model.");
            }
            NDArray w = p.getArray();
            if (!e.getValue().getShape().equals(w.getShape())) {
                throw new GenLabException(
                        "Optimizer state for '"
                                + name
                                + "' has shape "
                                + e.getValue().getShape()
                                + ", the network's parameter "
                                + w.getShape()
                                + ": the checkpoint is from another model.");
            }
            // toDevice(…, true) returns the same storage when the device does not change: clone
            NDArray copy = e.getValue().toDevice(w.getDevice(), false).duplicate();
            copy.attach(w.getManager());
            (isMean ? m : v).put(name, copy);
        }
        this.t = stepCount;
    }

    /** Builds an {@link Adam}. */
    public static final class Builder {
        private float learningRate = 1e-3f;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private float weightDecay;

        Builder() {}

        /**
         * Sets the learning rate α.
         *
         * @param learningRate α (default 1e-3)
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets β₁, the decay of the first moment.
         *
         * @param beta1 β₁ (default 0.9; GANs use 0.5)
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets β₂, the decay of the second moment.
         *
         * @param beta2 β₂ (default 0.999)
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε, which keeps the division finite.
         *
         * @param epsilon ε (default 1e-8)
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets an L2 weight decay added to the gradient.
         *
         * @param weightDecay the decay (default 0)
         * @return this builder
         */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public Adam build() {
            if (!(learningRate > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
                throw new GenLabException(
                        "Adam needs a learning rate > 0 and 0 <= beta1, beta2 < 1; got lr="
                                + learningRate
                                + ", beta1="
                                + beta1
                                + ", beta2="
                                + beta2
                                + ".");
            }
            return new Adam(this);
        }
    }
}
