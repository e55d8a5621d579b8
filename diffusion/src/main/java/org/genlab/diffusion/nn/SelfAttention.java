package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * Single-head self-attention over the pixels of a feature map, with a residual connection, as in
 * the DDPM UNet at its lowest resolution (Ho et al. 2020; Vaswani et al. 2017):
 *
 * <pre>
 *   q, k, v = 1×1 conv(GN(x));   A = softmax(qᵀk / √C);   y = x + 1×1 conv(v Aᵀ)
 * </pre>
 */
public final class SelfAttention extends LazyBlock {

    private final Block norm;
    private final Block qkv;
    private final Block proj;

    /**
     * Creates the block.
     *
     * @param channels C
     * @param groups GroupNorm groups
     */
    public SelfAttention(int channels, int groups) {
        norm = addChildBlock("norm", new GroupNorm(groups));
        qkv =
                addChildBlock(
                        "qkv",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(3 * channels)
                                .build());
        proj =
                addChildBlock(
                        "proj",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(channels)
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long n = s.get(2) * s.get(3);
        NDArray h = Children.call(qkv, ps, training, Children.call(norm, ps, training, x));
        NDList parts = h.reshape(b, 3, c, n).split(3, 1);
        NDArray q = parts.get(0).reshape(b, c, n);
        NDArray k = parts.get(1).reshape(b, c, n);
        NDArray v = parts.get(2).reshape(b, c, n);
        NDArray attn =
                Scalars.mul(q.transpose(0, 2, 1).matMul(k), (float) (1 / Math.sqrt(c))).softmax(2);
        NDArray out = v.matMul(attn.transpose(0, 2, 1)).reshape(s);
        return new NDList(x.add(Children.call(proj, ps, training, out)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
