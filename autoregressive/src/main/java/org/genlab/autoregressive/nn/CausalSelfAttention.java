package org.genlab.autoregressive.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * Multi-head <em>causal</em> self-attention, the attention of a decoder (Vaswani et al., "Attention
 * Is All You Need", NeurIPS 2017, §3.2.3; Radford et al., GPT, 2018): position i may look at
 * positions j ≤ i only, so the model can be trained on every position of a sequence at once and
 * still generate it left to right.
 *
 * <pre>
 *   Q, K, V = x W_Q, x W_K, x W_V                  split into h heads of d = D / h
 *   A       = softmax(Q Kᵀ / √d + M)               M[i, j] = 0 if j ≤ i, −10⁹ if j &gt; i
 *   y       = concat_heads(A V) W_O
 * </pre>
 *
 * <p>Input x (B, T, D), output y (B, T, D). With a {@link KvCache} the T new positions start at
 * position t₀ = the cache's length: their K and V are appended to the stored ones and the mask is
 * M[i, j] = −10⁹ if j &gt; t₀ + i, so a pass over one new token gives exactly the row the full pass
 * gives for it.
 */
public final class CausalSelfAttention extends LazyBlock {

    private final int heads;
    private final Block qkv;
    private final Block out;

    /**
     * Creates the block.
     *
     * @param dim D
     * @param heads h, dividing D
     */
    public CausalSelfAttention(int dim, int heads) {
        this.heads = heads;
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        out = addChildBlock("out", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(attend(ps, inputs.singletonOrThrow(), training, null, 0));
    }

    /**
     * Attends from the new positions x to themselves and to the cached ones.
     *
     * @param ps the parameter store
     * @param x (B, T, D) the new positions
     * @param training true while training
     * @param cache the keys and values so far, or null for a full pass
     * @param layer this layer's index in the cache
     * @return y (B, T, D)
     */
    public NDArray attend(
            ParameterStore ps, NDArray x, boolean training, KvCache cache, int layer) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        long dim = x.getShape().get(2);
        long d = dim / heads;
        long t0 = cache == null ? 0 : cache.length();
        // Q, K, V = x W_Q, x W_K, x W_V, each (B, h, T, d)
        NDArray split =
                linear(qkv, ps, training, x).reshape(b, t, 3, heads, d).transpose(2, 0, 3, 1, 4);
        NDArray q = split.get(0);
        NDArray k = split.get(1);
        NDArray v = split.get(2);
        if (cache != null) {
            // K ← concat(K_cached, k), V ← concat(V_cached, v): (B, h, t₀ + T, d)
            if (cache.keys(layer) != null) {
                k = cache.keys(layer).concat(k, 2);
                v = cache.values(layer).concat(v, 2);
            }
            cache.store(layer, k, v);
        }
        long l = t0 + t;
        // A = softmax(Q Kᵀ / √d + M),  M[i, j] = −10⁹ where j > t₀ + i
        NDArray scores = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(d)));
        NDArray a = scores.add(causalMask(x.getManager(), t0, t, l)).softmax(3);
        // y = concat_heads(A V) W_O
        NDArray y = a.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, dim);
        return linear(out, ps, training, y);
    }

    /**
     * The additive causal mask for queries at positions t₀ … t₀ + T − 1 over keys 0 … L − 1.
     *
     * @return (T, L) float32: 0 where the key is visible, −10⁹ where it lies in the future
     */
    static NDArray causalMask(NDManager manager, long t0, long t, long l) {
        NDArray query = manager.arange((int) t0, (int) (t0 + t), 1, DataType.INT64).reshape(t, 1);
        NDArray key = manager.arange(0, (int) l, 1, DataType.INT64).reshape(1, l);
        return Scalars.mul(key.gt(query).toType(DataType.FLOAT32, false), -1e9f);
    }

    /** Applies a Linear child to the last axis of (B, T, D). */
    static NDArray linear(Block block, ParameterStore ps, boolean training, NDArray x) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(-1, s.get(s.dimension() - 1));
        NDArray y = Children.call(block, ps, training, flat);
        return y.reshape(s.slice(0, s.dimension() - 1).add(y.getShape().get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
