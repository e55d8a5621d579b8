package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * Cross-attention from the pixels of a feature map to the words of a caption, with a residual
 * connection: how a text-to-image denoiser reads its prompt (GLIDE, Nichol et al. 2022, §2.2;
 * latent diffusion, Rombach et al. 2022, §3.3). Each pixel asks a question (its query), each word
 * offers a key and a value, and the pixel takes the values of the words whose keys answer it:
 *
 * <pre>
 *   q = 1×1 conv(GN(h))          (B, N, C)    N = H·W pixels
 *   k = c W_k,  v = c W_v        (B, L+1, C)  L words of the context c, plus one null slot
 *   A = softmax(q kᵀ / √d + M)                M = −∞ at padding words, 0 elsewhere
 *   h' = h + 1×1 conv(A v)
 * </pre>
 *
 * split into {@code heads} heads of d = C / heads channels each (Vaswani et al. 2017). The learned
 * null slot (a key and a value of its own, always visible) gives every pixel somewhere to look: an
 * empty caption — the ∅ of classifier-free guidance — then attends only to it, instead of dividing
 * by zero.
 *
 * <p>Inputs: {@code (h (B, C, H, W), context (B, L, D) float32, mask (B, L) float32, 1 = word, 0 =
 * padding)}; output shaped like h.
 */
public final class CrossAttention extends LazyBlock {

    private final int channels;
    private final int heads;
    private final Block norm;
    private final Block toQ;
    private final Block toK;
    private final Block toV;
    private final Block proj;
    private final Parameter nullKey;
    private final Parameter nullValue;

    /**
     * Creates the block.
     *
     * @param channels C of the feature map
     * @param heads attention heads (C divisible by heads)
     * @param groups GroupNorm groups
     */
    public CrossAttention(int channels, int heads, int groups) {
        if (heads < 1 || channels % heads != 0) {
            throw new GenLabException(
                    "CrossAttention: " + heads + " heads do not divide " + channels + " channels.");
        }
        this.channels = channels;
        this.heads = heads;
        norm = addChildBlock("norm", new GroupNorm(groups));
        toQ =
                addChildBlock(
                        "q",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(channels)
                                .build());
        toK = addChildBlock("k", Linear.builder().setUnits(channels).optBias(false).build());
        toV = addChildBlock("v", Linear.builder().setUnits(channels).optBias(false).build());
        proj =
                addChildBlock(
                        "proj",
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(channels)
                                .build());
        nullKey =
                addParameter(
                        Parameter.builder()
                                .setName("nullKey")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(1, 1, channels))
                                .build());
        nullValue =
                addParameter(
                        Parameter.builder()
                                .setName("nullValue")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(1, 1, channels))
                                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.get(0);
        NDArray c = inputs.get(1);
        NDArray mask = inputs.get(2);
        Shape s = h.getShape();
        long b = s.get(0);
        long n = s.get(2) * s.get(3);
        long l = c.getShape().get(1);
        long d = channels / heads;
        // q: one query per pixel, (B, N, C)
        NDArray q =
                Children.call(toQ, ps, training, Children.call(norm, ps, training, h))
                        .reshape(b, channels, n)
                        .transpose(0, 2, 1);
        // k, v: one key and value per word, then the null slot: (B, L+1, C)
        NDArray k0 = ps.getValue(nullKey, h.getDevice(), training).broadcast(b, 1, channels);
        NDArray v0 = ps.getValue(nullValue, h.getDevice(), training).broadcast(b, 1, channels);
        NDArray k = Children.call(toK, ps, training, c).concat(k0, 1);
        NDArray v = Children.call(toV, ps, training, c).concat(v0, 1);
        // M: 0 where there is a word (or the null slot), −∞ (a large negative) at padding
        NDArray visible =
                mask.toType(DataType.FLOAT32, false)
                        .concat(mask.getManager().ones(new Shape(b, 1)), 1);
        NDArray bias = visible.sub(1f).mul(1e9f).reshape(b, 1, 1, l + 1);
        // split heads: (B, heads, N or L+1, d)
        NDArray qh = q.reshape(b, n, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, l + 1, heads, d).transpose(0, 2, 1, 3);
        NDArray vh = v.reshape(b, l + 1, heads, d).transpose(0, 2, 1, 3);
        // A = softmax(q kᵀ / √d + M)
        NDArray a =
                Scalars.mul(qh.matMul(kh.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(d)))
                        .add(bias)
                        .softmax(3);
        // A v, heads joined again: (B, C, H, W)
        NDArray out = a.matMul(vh).transpose(0, 2, 1, 3).reshape(b, n, channels).transpose(0, 2, 1);
        return new NDList(h.add(Children.call(proj, ps, training, out.reshape(s))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
