package org.genlab.text.encoder;

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
 * One pre-norm transformer encoder layer (Vaswani et al. 2017, with the layer norm moved in front
 * of each sub-layer as in GPT-2 and CLIP's text encoder, which trains without a warm-up):
 *
 * <pre>
 *   h = x + MHA(LN₁(x), mask)
 *   y = h + W₂ SiLU(W₁ LN₂(h))          W₁: D → 4D, W₂: 4D → D
 * </pre>
 *
 * Inputs x (B, L, D) and the mask (B, L); outputs y (B, L, D) and the attention weights (B, h, L,
 * L).
 */
public final class TransformerLayer extends LazyBlock {

    private final Block norm1;
    private final MultiHeadAttention attention;
    private final Block norm2;
    private final Block mlpIn;
    private final Block mlpOut;

    /**
     * Creates the layer.
     *
     * @param dim D
     * @param heads h
     */
    public TransformerLayer(int dim, int heads) {
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new MultiHeadAttention(dim, heads));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        mlpIn = addChildBlock("mlpIn", Linear.builder().setUnits(4L * dim).build());
        mlpOut = addChildBlock("mlpOut", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        // h = x + MHA(LN₁(x), mask)
        NDList att =
                TextEncoder.run(
                        attention, ps, training, Children.call(norm1, ps, training, x), mask);
        NDArray h = x.add(att.get(0));
        // y = h + W₂ SiLU(W₁ LN₂(h))
        NDArray u = TextEncoder.linear(mlpIn, ps, training, Children.call(norm2, ps, training, h));
        NDArray y = h.add(TextEncoder.linear(mlpOut, ps, training, Scalars.silu(u)));
        return new NDList(y, att.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return attention.getOutputShapes(inputShapes);
    }
}
