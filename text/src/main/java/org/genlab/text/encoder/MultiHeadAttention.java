package org.genlab.text.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * Multi-head self-attention with a padding mask (Vaswani et al., "Attention Is All You Need",
 * NeurIPS 2017, §3.2):
 *
 * <pre>
 *   Q, K, V = x W_Q, x W_K, x W_V                  split into h heads of d = D / h
 *   A       = softmax(Q Kᵀ / √d + M)               M[i, j] = 0 if token j is a word, −10⁹ if PAD
 *   y       = concat_heads(A V) W_O
 * </pre>
 *
 * <p>Inputs: x (B, L, D) and the mask (B, L) float32 (1 = word, 0 = PAD). Outputs: y (B, L, D) and
 * the attention weights A (B, h, L, L), each row summing to 1 with 0 on the PAD keys. M uses −10⁹
 * rather than −∞: for a caption with no words at all (the empty caption of classifier-free
 * guidance) every key is masked, and −∞ would give softmax(−∞, …, −∞) = 0/0 = NaN; with a finite M
 * that row is uniform and finite, and the encoder's masked pooling ignores it anyway.
 */
public final class MultiHeadAttention extends LazyBlock {

    private final int heads;
    private final Block qkv;
    private final Block out;

    /**
     * Creates the block.
     *
     * @param dim D
     * @param heads h, dividing D
     */
    public MultiHeadAttention(int dim, int heads) {
        this.heads = heads;
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        out = addChildBlock("out", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        long dim = x.getShape().get(2);
        long d = dim / heads;
        // Q, K, V = x W_Q, x W_K, x W_V, each (B, h, L, d)
        NDArray h = TextEncoder.linear(qkv, ps, training, x);
        NDArray split = h.reshape(b, l, 3, heads, d).transpose(2, 0, 3, 1, 4);
        NDArray q = split.get(0);
        NDArray k = split.get(1);
        NDArray v = split.get(2);
        // M = −10⁹ on PAD keys: (B, 1, 1, L), broadcast over heads and queries
        NDArray m = Scalars.mul(Scalars.scalar(mask, 1f).sub(mask), -1e9f).reshape(b, 1, 1, l);
        // A = softmax(Q Kᵀ / √d + M)
        NDArray scores = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), (float) (1 / Math.sqrt(d)));
        NDArray a = scores.add(m).softmax(3);
        // y = concat_heads(A V) W_O
        NDArray y = a.matMul(v).transpose(0, 2, 1, 3).reshape(b, l, dim);
        return new NDList(TextEncoder.linear(out, ps, training, y), a);
    }

    @Override
    protected ai.djl.ndarray.types.DataType inputType(int i) {
        return ai.djl.ndarray.types.DataType.FLOAT32;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x, new Shape(x.get(0), heads, x.get(1), x.get(1))};
    }
}
