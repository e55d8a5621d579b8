package org.genlab.autoregressive.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * One pre-norm transformer decoder layer, as in GPT-2 (Radford et al. 2019) and DALL-E's
 * transformer (Ramesh et al., "Zero-Shot Text-to-Image Generation", ICML 2021):
 *
 * <pre>
 *   h = x + CausalMHA(LN₁(x))
 *   y = h + W₂ SiLU(W₁ LN₂(h))          W₁: D → 4D, W₂: 4D → D
 * </pre>
 *
 * Input x (B, T, D), output y (B, T, D). Everything but the attention acts on each position alone,
 * so only the attention needs the {@link KvCache}.
 */
public final class DecoderLayer extends LazyBlock {

    private final Block norm1;
    private final CausalSelfAttention attention;
    private final Block norm2;
    private final Block mlpIn;
    private final Block mlpOut;

    /**
     * Creates the layer.
     *
     * @param dim D
     * @param heads h
     */
    public DecoderLayer(int dim, int heads) {
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new CausalSelfAttention(dim, heads));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        mlpIn = addChildBlock("mlpIn", Linear.builder().setUnits(4L * dim).build());
        mlpOut = addChildBlock("mlpOut", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training, null, 0));
    }

    /**
     * Runs the layer on the new positions.
     *
     * @param ps the parameter store
     * @param x (B, T, D)
     * @param training true while training
     * @param cache the keys and values so far, or null for a full pass
     * @param layer this layer's index in the cache
     * @return y (B, T, D)
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training, KvCache cache, int layer) {
        // h = x + CausalMHA(LN₁(x))
        NDArray h =
                x.add(
                        attention.attend(
                                ps, Children.call(norm1, ps, training, x), training, cache, layer));
        // y = h + W₂ SiLU(W₁ LN₂(h))
        NDArray u =
                CausalSelfAttention.linear(
                        mlpIn, ps, training, Children.call(norm2, ps, training, h));
        return h.add(CausalSelfAttention.linear(mlpOut, ps, training, Scalars.silu(u)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
