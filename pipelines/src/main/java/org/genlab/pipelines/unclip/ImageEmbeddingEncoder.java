package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;

/**
 * How the unCLIP decoder reads a CLIP image embedding (Ramesh et al. 2022, <i>Hierarchical
 * Text-Conditional Image Generation with CLIP Latents</i>, §2.1): the embedding is "projected and
 * added to the existing timestep embedding" and "projected into four extra tokens of context" that
 * the denoiser's cross-attention reads.
 *
 * <pre>
 *   c = LN(reshape(z_i W_c + b_c, (k, dim)))    context tokens (B, k, dim)
 *   p = z_i W_p + b_p                            pooled (B, dim): the UNet adds a projection of it
 *                                                to the step embedding
 *   m = [z_i ≠ 0]                                mask (B, k): 1, or 0 for ∅ (the zero vector)
 * </pre>
 *
 * <p>Notation: {@code embeddingDim} = D (z_i's length), {@code tokens} = k (4 in the paper), {@code
 * dim} = the width of a token. The zero vector is the ∅ of classifier-free guidance; its mask of
 * zeros makes the cross-attention look only at its learned null slot, as for an empty caption.
 *
 * <p>It fits {@code UNet.Builder.optEmbeddingEncoder(encoder, D, true)}: input (B, D) float32,
 * output (tokens (B, k, dim), mask (B, k), pooled (B, dim)).
 *
 * <pre>{@code
 * ImageEmbeddingEncoder enc = ImageEmbeddingEncoder.builder().setEmbeddingDim(64).build();
 * UNet unet = UNet.cpu(1, 0).optEmbeddingEncoder(enc, 64, true).build();
 * }</pre>
 */
public final class ImageEmbeddingEncoder extends LazyBlock {

    /** The config key prefix of {@link #toConfig}. */
    public static final String PREFIX = "unclip.";

    private final int embeddingDim;
    private final int tokens;
    private final int dim;
    private final Block toTokens;
    private final Block toPooled;
    private final Block norm;

    private ImageEmbeddingEncoder(Builder b) {
        embeddingDim = b.embeddingDim;
        tokens = b.tokens;
        dim = b.dim;
        toTokens =
                addChildBlock("toTokens", Linear.builder().setUnits((long) tokens * dim).build());
        toPooled = addChildBlock("toPooled", Linear.builder().setUnits(dim).build());
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    /**
     * Starts a builder.
     *
     * @return a builder (k = 4 tokens of width 64)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Rebuilds an encoder from the keys of {@link #toConfig}.
     *
     * @param config a run's settings
     * @return the (uninitialised) encoder
     * @throws GenLabException when a key is missing or not a number
     */
    public static ImageEmbeddingEncoder fromConfig(Map<String, String> config) {
        try {
            return builder()
                    .setEmbeddingDim(Integer.parseInt(config.get(PREFIX + "embeddingDim")))
                    .optTokens(Integer.parseInt(config.get(PREFIX + "tokens")))
                    .optDim(Integer.parseInt(config.get(PREFIX + "dim")))
                    .build();
        } catch (NumberFormatException | NullPointerException e) {
            throw new GenLabException(
                    "The run's config.properties does not describe its image-embedding encoder"
                            + " (unclip.* keys): was it edited?",
                    e);
        }
    }

    /**
     * Initialises the weights for embeddings of length D.
     *
     * @param manager where the weights live
     * @return this
     */
    public ImageEmbeddingEncoder initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(2, embeddingDim));
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        Shape s = z.getShape();
        if (s.dimension() != 2 || s.get(1) != embeddingDim) {
            throw new GenLabException(
                    "The image-embedding encoder takes (B, "
                            + embeddingDim
                            + ") CLIP image embeddings, got "
                            + s
                            + ": use the CLIP run the decoder was trained with.");
        }
        z = z.toType(DataType.FLOAT32, false);
        long b = s.get(0);
        // c = LN(reshape(z W_c + b_c, (k, dim)))
        NDArray c = Children.call(toTokens, ps, training, z).reshape(b, tokens, dim);
        c = Children.call(norm, ps, training, c);
        // p = z W_p + b_p
        NDArray p = Children.call(toPooled, ps, training, z);
        // m = [z ≠ 0]: the zero vector ∅ has no tokens to attend to
        NDArray nonzero = z.abs().sum(new int[] {1}, true).gt(0f).toType(DataType.FLOAT32, false);
        NDArray mask = nonzero.repeat(1, tokens);
        return new NDList(c, mask, p);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, tokens, dim), new Shape(b, tokens), new Shape(b, dim)};
    }

    /**
     * Returns D, the length of the embeddings it reads.
     *
     * @return D
     */
    public int embeddingDim() {
        return embeddingDim;
    }

    /**
     * Returns k, the number of context tokens.
     *
     * @return k
     */
    public int tokens() {
        return tokens;
    }

    /**
     * Returns the width of a context token.
     *
     * @return dim
     */
    public int dim() {
        return dim;
    }

    /**
     * Describes the encoder under {@code unclip.*} keys ({@link #fromConfig} reads them back).
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "embeddingDim", Integer.toString(embeddingDim));
        m.put(PREFIX + "tokens", Integer.toString(tokens));
        m.put(PREFIX + "dim", Integer.toString(dim));
        return m;
    }

    @Override
    public String toString() {
        return "ImageEmbeddingEncoder(D=" + embeddingDim + ", k=" + tokens + ", dim=" + dim + ")";
    }

    /** Builds an {@link ImageEmbeddingEncoder}. */
    public static final class Builder {
        private int embeddingDim;
        private int tokens = 4;
        private int dim = 64;

        private Builder() {}

        /**
         * Sets D, the length of the CLIP image embeddings (CLIP's embedding dimension).
         *
         * @param d D
         * @return this
         */
        public Builder setEmbeddingDim(int d) {
            this.embeddingDim = d;
            return this;
        }

        /**
         * Sets k, the number of context tokens (default 4, as in the paper).
         *
         * @param k tokens
         * @return this
         */
        public Builder optTokens(int k) {
            this.tokens = k;
            return this;
        }

        /**
         * Sets the width of a token (default 64).
         *
         * @param dim width
         * @return this
         */
        public Builder optDim(int dim) {
            this.dim = dim;
            return this;
        }

        /**
         * Builds the (uninitialised) encoder.
         *
         * @return the encoder
         */
        public ImageEmbeddingEncoder build() {
            if (embeddingDim < 1 || tokens < 1 || dim < 1) {
                throw new GenLabException(
                        "ImageEmbeddingEncoder: setEmbeddingDim(D), tokens and dim must be ≥ 1, got"
                                + " D="
                                + embeddingDim
                                + ", k="
                                + tokens
                                + ", dim="
                                + dim
                                + ".");
            }
            return new ImageEmbeddingEncoder(this);
        }
    }
}
