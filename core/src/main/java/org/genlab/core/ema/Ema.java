package org.genlab.core.ema;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
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
 * <pre>{@code
 * Ema ema = Ema.builder().setBlock(generator).optDecay(0.999f).build();
 * // after each adam.step(generator):
 * ema.update();
 * // to sample: ema.copyTo(samplingGenerator);
 * }</pre>
 */
public final class Ema {

    private final Block block;
    private final float decay;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();

    private Ema(Builder b) {
        this.block = b.block;
        this.decay = b.decay;
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
        Map<String, Parameter> params = Params.named(block);
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray avg = e.getValue();
            NDArray w = params.get(e.getKey()).getArray();
            try (NDManager sub = NDManager.subManagerOf(avg)) {
                sub.tempAttachAll(avg, w);
                avg.muli(decay).addi(w.mul(1 - decay));
            }
        }
    }

    /**
     * Copies the averaged parameters into a network of the same architecture (e.g. a second
     * generator used only for sampling).
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
