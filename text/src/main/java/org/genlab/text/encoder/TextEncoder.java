package org.genlab.text.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;

/**
 * A transformer text encoder (Vaswani et al. 2017; the pre-norm variant CLIP's text tower uses,
 * Radford et al. 2021): word ids in, one vector per word and one for the whole caption out.
 *
 * <pre>
 *   x⁰ = E[ids] + P[0..L)                 token embedding E (V, D) + learned positions P (L_max, D)
 *   xⁿ = TransformerLayerₙ(xⁿ⁻¹, mask)   n = 1..N, keys at PAD masked out of the attention
 *   t  = LN(x^N)                          tokens (B, L, D)
 *   p  = Σ_j mask_j t_j / max(1, Σ_j mask_j)    pooled (B, D): the mean over the words
 * </pre>
 *
 * <pre>{@code
 * TextEncoder enc = TextEncoder.builder().setVocabularySize(tok.size())
 *         .optDim(64).optLayers(2).optHeads(4).optMaxLength(16).build();
 * enc.initialize(manager);                                // float32 weights
 * NDList out = enc.forward(ps, new NDList(ids), false);   // tokens, mask, pooled
 * }</pre>
 *
 * <p>forward takes ids (B, L) int64 with L ≤ L_max, and returns tokens (B, L, D) float32 (what a
 * diffusion model cross-attends to), the mask (B, L) float32 (1 = word, 0 = PAD) and pooled (B, D).
 * Because PAD keys get no attention weight, the words' outputs do not depend on how much padding
 * follows them; an all-PAD row (the empty caption) gives finite tokens and a pooled vector of
 * exactly 0.
 */
public final class TextEncoder extends LazyBlock {

    private final int vocabularySize;
    private final int dim;
    private final int layers;
    private final int heads;
    private final int maxLength;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<TransformerLayer> blocks = new ArrayList<>();
    private final Block finalNorm;

    private TextEncoder(Builder b) {
        vocabularySize = b.vocabularySize;
        dim = b.dim;
        layers = b.layers;
        heads = b.heads;
        maxLength = b.maxLength;
        tokenEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("tokenEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize, dim))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        positionEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("positionEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(maxLength, dim))
                                .optInitializer(new NormalInitializer(0.01f))
                                .build());
        for (int i = 0; i < layers; i++) {
            blocks.add(addChildBlock("layer" + i, new TransformerLayer(dim, heads)));
        }
        finalNorm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    /**
     * Creates a builder.
     *
     * @return a builder (D = 64, 2 layers, 4 heads, L_max = 16)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Initialises the weights (float32) for captions of up to L_max words.
     *
     * @param manager where the weights live
     * @return this
     */
    public TextEncoder initialize(ai.djl.ndarray.NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(2, maxLength));
        return this;
    }

    @Override
    protected DataType inputType(int i) {
        return DataType.INT64;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return encode(ps, inputs.singletonOrThrow(), training, null);
    }

    /**
     * Returns every layer's attention weights for a batch of captions, to draw them ({@code
     * AttentionMaps}).
     *
     * @param ps the parameter store
     * @param ids (B, L) int64
     * @return one (B, heads, L, L) array per layer; row i of a head is how much word i attends to
     *     each word j (0 on PAD keys)
     */
    public NDList attention(ParameterStore ps, NDArray ids) {
        NDList weights = new NDList();
        encode(ps, ids, false, weights);
        return weights;
    }

    private NDList encode(ParameterStore ps, NDArray ids, boolean training, NDList weights) {
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) > maxLength) {
            throw new GenLabException(
                    "The text encoder takes (B, L) token ids with L <= "
                            + maxLength
                            + ", got "
                            + s
                            + ": encode captions with Tokenizer.encode(manager, texts, "
                            + maxLength
                            + ").");
        }
        long l = s.get(1);
        NDArray e = ps.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray p = ps.getValue(positionEmbedding, ids.getDevice(), training);
        // mask: 1 = word, 0 = PAD
        NDArray mask = ids.neq(0).toType(DataType.FLOAT32, false);
        // x⁰ = E[ids] + P[0..L): a one-hot product is the embedding lookup, and differentiable
        NDArray x = ids.oneHot(vocabularySize).matMul(e).add(p.get(new NDIndex("0:{}", l)));
        // xⁿ = TransformerLayerₙ(xⁿ⁻¹, mask)
        for (TransformerLayer layer : blocks) {
            NDList out = run(layer, ps, training, x, mask);
            x = out.get(0);
            if (weights != null) {
                weights.add(out.get(1));
            }
        }
        // t = LN(x^N)
        NDArray tokens = Children.call(finalNorm, ps, training, x);
        // p = Σ_j mask_j t_j / max(1, Σ_j mask_j)
        NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
        NDArray pooled = tokens.mul(mask.expandDims(2)).sum(new int[] {1}).div(count);
        return new NDList(tokens, mask, pooled);
    }

    /** Runs a child with several inputs and outputs, initialising it on first use. */
    static NDList run(Block block, ParameterStore ps, boolean training, NDArray... inputs) {
        NDList in = new NDList(inputs);
        if (!block.isInitialized()) {
            block.initialize(ps.getManager(), DataType.FLOAT32, in.getShapes());
        }
        return block.forward(ps, in, training);
    }

    /** Applies a Linear child to the last axis of (B, L, D). */
    static NDArray linear(Block block, ParameterStore ps, boolean training, NDArray x) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(-1, s.get(s.dimension() - 1));
        NDArray y = Children.call(block, ps, training, flat);
        return y.reshape(s.slice(0, s.dimension() - 1).add(y.getShape().get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {
            new Shape(ids.get(0), ids.get(1), dim), ids, new Shape(ids.get(0), dim)
        };
    }

    /**
     * Returns the vocabulary size V (rows of the token embedding, counting PAD).
     *
     * @return V
     */
    public int vocabularySize() {
        return vocabularySize;
    }

    /**
     * Returns the width D.
     *
     * @return D
     */
    public int dim() {
        return dim;
    }

    /**
     * Returns the number of layers N.
     *
     * @return N
     */
    public int layers() {
        return layers;
    }

    /**
     * Returns the number of attention heads.
     *
     * @return h
     */
    public int heads() {
        return heads;
    }

    /**
     * Returns the longest caption L_max, in words.
     *
     * @return L_max
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Describes the encoder under {@code text.*} keys.
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        return Map.of(
                "text.vocabularySize", Integer.toString(vocabularySize),
                "text.dim", Integer.toString(dim),
                "text.layers", Integer.toString(layers),
                "text.heads", Integer.toString(heads),
                "text.maxLength", Integer.toString(maxLength));
    }

    @Override
    public String toString() {
        return "TextEncoder(V="
                + vocabularySize
                + ", D="
                + dim
                + ", layers="
                + layers
                + ", heads="
                + heads
                + ", L="
                + maxLength
                + ")";
    }

    /** Builds a {@link TextEncoder}. */
    public static final class Builder {
        private int vocabularySize;
        private int dim = 64;
        private int layers = 2;
        private int heads = 4;
        private int maxLength = 16;

        Builder() {}

        /**
         * Sets V, the tokenizer's {@code size()} (words + PAD).
         *
         * @param v V
         * @return this
         */
        public Builder setVocabularySize(int v) {
            this.vocabularySize = v;
            return this;
        }

        /**
         * Sets the width D.
         *
         * @param dim D (default 64), a multiple of the heads
         * @return this
         */
        public Builder optDim(int dim) {
            this.dim = dim;
            return this;
        }

        /**
         * Sets the number of transformer layers.
         *
         * @param layers N (default 2)
         * @return this
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Sets the number of attention heads.
         *
         * @param heads h (default 4), dividing D
         * @return this
         */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * Sets the longest caption, in words.
         *
         * @param maxLength L_max (default 16)
         * @return this
         */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /**
         * Builds the encoder.
         *
         * @return the encoder, not yet initialised
         */
        public TextEncoder build() {
            if (vocabularySize < 2) {
                throw new GenLabException(
                        "TextEncoder needs setVocabularySize(tokenizer.size()) >= 2, got "
                                + vocabularySize
                                + ".");
            }
            if (dim < 1 || heads < 1 || dim % heads != 0 || layers < 1 || maxLength < 1) {
                throw new GenLabException(
                        "TextEncoder needs D, layers, heads, max length >= 1 and D divisible by the"
                                + " heads; got D="
                                + dim
                                + ", layers="
                                + layers
                                + ", heads="
                                + heads
                                + ", maxLength="
                                + maxLength
                                + ".");
            }
            return new TextEncoder(this);
        }
    }
}
