package org.genlab.core.ema;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Params;

/**
 * Exponential moving average of parameters. After every optimizer step, each shadow copy θ̄ of a
 * parameter θ moves towards it:
 *
 * <pre>
 *   θ̄ ← d · θ̄ + (1 − d) · θ
 * </pre>
 *
 * with decay d (0.999 or 0.9999 in the DDPM paper, Ho et al. 2020). Sampling from θ̄ instead of θ
 * averages out the noise of the last steps. Non-trainable state (BatchNorm's running statistics) is
 * averaged the same way.
 *
 * <p>With warm-up (on by default) the n-th update uses d_n = min(d, (1 + n) / (10 + n)), as
 * TensorFlow's {@code ExponentialMovingAverage} with {@code num_updates} does: early on the average
 * follows the network closely, so that a short run's samples do not come from its random initial
 * weights (with d = 0.999 they still weigh 0.999⁵⁰⁰ ≈ 61 % after 500 steps).
 *
 * <pre>{@code
 * Ema ema = Ema.builder().setBlock(generator).optDecay(0.999f).build();
 * // after each adam.step(generator):
 * ema.update();
 * // to sample with θ̄ (the trained weights are back afterwards):
 * NDArray x = ema.withWeights(() -> generator.generate(ps, z, null, false));
 * }</pre>
 */
public final class Ema {

    private final Block block;
    private final float decay;
    private final boolean warmUp;
    private long updates;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();

    private Ema(Builder b) {
        this.block = b.block;
        this.decay = b.decay;
        this.warmUp = b.warmUp;
        for (Map.Entry<String, Parameter> e : Params.named(block).entrySet()) {
            NDArray w = e.getValue().getArray();
            NDArray copy = w.duplicate();
            copy.setRequiresGradient(false);
            shadow.put(e.getKey(), copy);
        }
    }

    /**
     * Creates a builder.
     *
     * @return a builder with decay 0.999
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Moves every shadow copy towards the current parameters: θ̄ ← d θ̄ + (1 − d) θ. */
    public void update() {
        try (NoGrad scope = NoGrad.enter()) {
            average();
        }
    }

    private void average() {
        float d = currentDecay();
        updates++;
        Map<String, Parameter> params = Params.named(block);
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray avg = e.getValue();
            NDArray w = params.get(e.getKey()).getArray();
            try (NDManager sub = NDManager.subManagerOf(avg)) {
                sub.tempAttachAll(avg, w);
                avg.muli(d).addi(w.mul(1 - d));
            }
        }
    }

    /**
     * Runs an action with the averaged weights θ̄ in the network, then puts the trained weights θ
     * back (also when the action throws), and returns what the action returned. This is how every
     * GenLab trainer samples from its EMA: one network, its weights swapped for the duration.
     *
     * @param action what to compute with θ̄, e.g. a batch of samples
     * @param <T> the result type
     * @return the action's result
     */
    public <T> T withWeights(Supplier<T> action) {
        Map<String, NDArray> trained = new LinkedHashMap<>();
        NDManager tmp = NDManager.subManagerOf(shadow.values().iterator().next());
        try (tmp) {
            for (Map.Entry<String, Parameter> e : Params.named(block).entrySet()) {
                NDArray c = e.getValue().getArray().duplicate();
                c.attach(tmp);
                trained.put(e.getKey(), c);
            }
            copyInto(block, shadow);
            try {
                return action.get();
            } finally {
                copyInto(block, trained);
            }
        }
    }

    /**
     * Returns the network whose weights are averaged.
     *
     * @return the network
     */
    public Block block() {
        return block;
    }

    /**
     * Copies the averaged parameters into a network of the same architecture (e.g. one loaded for
     * sampling only).
     *
     * @param target an initialised network built like the averaged one
     */
    public void copyTo(Block target) {
        copyInto(target, shadow);
    }

    /**
     * Returns the decay d.
     *
     * @return d
     */
    public float getDecay() {
        return decay;
    }

    /**
     * Returns the decay the next update will use: d, or min(d, (1 + n) / (10 + n)) with warm-up.
     *
     * @return d_n
     */
    public float currentDecay() {
        return warmUp ? Math.min(decay, (1f + updates) / (10f + updates)) : decay;
    }

    /**
     * Returns how many updates have been made (n), for checkpoints.
     *
     * @return n
     */
    public long getUpdateCount() {
        return updates;
    }

    /**
     * Sets the update count after restoring a checkpoint.
     *
     * @param n the saved count
     */
    public void setUpdateCount(long n) {
        this.updates = n;
    }

    /**
     * Returns the shadow copies, for checkpoints.
     *
     * @return name to averaged array (live arrays: save them, do not close them)
     */
    public Map<String, NDArray> state() {
        return shadow;
    }

    /**
     * Restores the shadow copies from a checkpoint.
     *
     * @param saved name to averaged array
     */
    public void load(Map<String, NDArray> saved) {
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray v = saved.get(e.getKey());
            if (v == null) {
                throw new GenLabException(
                        "The saved EMA has no parameter '"
                                + e.getKey()
                                + "': the checkpoint is from another model.");
            }
            copyValue(e.getKey(), v, e.getValue());
        }
    }

    /**
     * Copies named values into a network's parameters, checking names and shapes.
     *
     * @param target the network
     * @param values name to value
     */
    public static void copyInto(Block target, Map<String, NDArray> values) {
        try (NoGrad scope = NoGrad.enter()) {
            copyAll(target, values);
        }
    }

    private static void copyAll(Block target, Map<String, NDArray> values) {
        Map<String, Parameter> params = Params.named(target);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray v = values.get(e.getKey());
            if (v == null) {
                throw new GenLabException(
                        "No saved value for parameter '"
                                + e.getKey()
                                + "': the checkpoint is from another model or size.");
            }
            copyValue(e.getKey(), v, e.getValue().getArray());
        }
    }

    private static void copyValue(String name, NDArray from, NDArray to) {
        if (!from.getShape().equals(to.getShape())) {
            throw new GenLabException(
                    "Parameter '"
                            + name
                            + "' is saved with shape "
                            + from.getShape()
                            + " but the network has "
                            + to.getShape()
                            + ": the checkpoint is from another model or size.");
        }
        // index_put_ copies the values into the live array; the source is a clone so that it
        // owns its memory whatever the caller does with `from`
        try (NDArray src =
                from.toType(to.getDataType(), false).toDevice(to.getDevice(), false).duplicate()) {
            to.set(new NDIndex("..."), src);
        }
    }

    /** Builds an {@link Ema}. */
    public static final class Builder {
        private Block block;
        private float decay = 0.999f;
        private boolean warmUp = true;

        Builder() {}

        /**
         * Sets the network to average.
         *
         * @param block an initialised network
         * @return this builder
         */
        public Builder setBlock(Block block) {
            this.block = block;
            return this;
        }

        /**
         * Sets the decay d.
         *
         * @param decay d, in [0, 1) (default 0.999)
         * @return this builder
         */
        public Builder optDecay(float decay) {
            this.decay = decay;
            return this;
        }

        /**
         * Turns the warm-up d_n = min(d, (1 + n) / (10 + n)) on or off (on by default).
         *
         * @param warmUp whether to warm up
         * @return this builder
         */
        public Builder optWarmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /**
         * Builds the average, starting from the network's current parameters.
         *
         * @return the average
         */
        public Ema build() {
            if (block == null || !block.isInitialized()) {
                throw new GenLabException("EMA needs an initialised network (setBlock).");
            }
            if (decay < 0 || decay >= 1) {
                throw new GenLabException("EMA decay must be in [0, 1), got " + decay + ".");
            }
            return new Ema(this);
        }
    }
}
