package org.genlab.autoregressive.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;

/**
 * A decoder-only transformer over image tokens, DALL-E's in miniature (Ramesh et al., "Zero-Shot
 * Text-to-Image Generation", ICML 2021; the image tokens come from a VQ-VAE, van den Oord et al.
 * 2017). A sequence is a prefix of P condition tokens followed by the image's N = h·w codes in
 * raster order. The prefix is one token (a class, or the null condition) or, as in DALL-E, the L
 * ids of a caption ({@link Builder#optCaptions}):
 *
 * <pre>
 *   s = [c ; z₀, z₁, …, z_{N−1}]          P = 1: c ∈ {K, …, K + C − 1} a class, K + C the null one
 *   s = [K + w₁, …, K + w_L ; z₀, …]      P = L: caption word ids w_j ∈ [0, V), 0 = PAD
 *   p(z | prefix) = Π_i p(z_i | prefix, z_{&lt;i})
 *
 *   x⁰ = E[s_{0..T−1}] + P[0..T)        token embedding E (K + C + 1 or K + V, D), positions (P + N − 1, D)
 *   xⁿ = DecoderLayerₙ(xⁿ⁻¹)            n = 1 … layers, causal
 *   ℓ  = W_out LN(x^layers)             (B, T, K): ℓ_t are the logits of the token after position t,
 *                                       so image token z_i is read at position P − 1 + i
 * </pre>
 *
 * Notation: K = {@link #codes()} (codebook size), C = {@link #classes()}, V = {@link
 * #captionVocabulary()}, L = P = {@link #prefixLength()}, N = {@link #length()}. The vocabulary
 * puts the codes first, so an image token is its code, a class c is the id K + c and a caption word
 * v is K + v. An all-PAD caption is the empty (null) condition of classifier-free guidance; PAD
 * positions are ordinary tokens that the image positions attend to. Input (B, T) int64 ids with T ≤
 * P + N − 1, output (B, T, K) logits; {@link #imageLogits} keeps the N rows that predict image
 * tokens. {@link #step} runs only the newest positions against a {@link KvCache} and gives the same
 * logits as the full pass.
 *
 * <pre>{@code
 * TokenTransformer net = TokenTransformer.builder().setCodes(128).optClasses(10).build();
 * net.initialize(manager);
 * NDArray logits = net.imageLogits(ps, TokenTransformer.inputs(net.conditionTokens(labels), z), true);
 * }</pre>
 */
public final class TokenTransformer extends LazyBlock {

    /** The model name written into checkpoints. */
    public static final String MODEL = "token-transformer";

    /** The network's name inside checkpoints. */
    public static final String NETWORK = "transformer";

    private final int codes;
    private final int classes;
    private final int captionVocabulary;
    private final int prefix;
    private final int length;
    private final int dim;
    private final int layers;
    private final int heads;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<DecoderLayer> blocks = new ArrayList<>();
    private final Block finalNorm;
    private final Block head;

    private TokenTransformer(Builder b) {
        codes = b.codes;
        classes = b.classes;
        captionVocabulary = b.captionVocabulary;
        prefix = b.captionVocabulary > 0 ? b.captionLength : 1;
        length = b.length;
        dim = b.dim;
        layers = b.layers;
        heads = b.heads;
        tokenEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("tokenEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize(), dim))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        positionEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("positionEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(positions(), dim))
                                .optInitializer(new NormalInitializer(0.01f))
                                .build());
        for (int i = 0; i < layers; i++) {
            blocks.add(addChildBlock("layer" + i, new DecoderLayer(dim, heads)));
        }
        finalNorm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(codes).build());
    }

    /**
     * Creates a builder.
     *
     * @return a builder (N = 49, C = 0, D = 128, 4 layers, 4 heads)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Initialises the weights (float32).
     *
     * @param manager where the weights live
     * @return this
     */
    public TokenTransformer initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(2, positions()));
        return this;
    }

    @Override
    protected DataType inputType(int i) {
        return DataType.INT64;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.singletonOrThrow(), training, null));
    }

    /**
     * The full pass: logits of every position.
     *
     * @param ps the parameter store
     * @param ids (B, T) int64 ids, T ≤ P + N − 1, usually {@link #inputs}
     * @param training true while training
     * @return (B, T, K) logits; row t predicts the token after position t (z_i at t = P − 1 + i)
     */
    public NDArray logits(ParameterStore ps, NDArray ids, boolean training) {
        return run(ps, ids, training, null);
    }

    /**
     * The full pass, keeping only the rows that predict image tokens: ℓ_{P−1 .. T−1}.
     *
     * @param ps the parameter store
     * @param ids (B, P + N − 1) int64 ids from {@link #inputs}
     * @param training true while training
     * @return (B, N, K) logits; row i predicts image token z_i
     */
    public NDArray imageLogits(ParameterStore ps, NDArray ids, boolean training) {
        return logits(ps, ids, training).get(new NDIndex(":, {}:", prefix - 1));
    }

    /**
     * Starts an empty key/value cache for {@link #step}.
     *
     * @param manager where the cached arrays live (the cache has its own sub-manager)
     * @return the cache; close it when done
     */
    public KvCache newCache(NDManager manager) {
        return new KvCache(manager, layers);
    }

    /**
     * Runs only the new positions, reading and extending the cache: one pass per token when
     * sampling. The first call usually feeds the P prefix tokens, each later one the token just
     * drawn.
     *
     * @param ps the parameter store
     * @param cache the keys and values of the positions so far
     * @param ids (B) or (B, T) int64 ids of the next positions
     * @return (B, T, K) logits of those positions, equal to the full pass's
     */
    public NDArray step(ParameterStore ps, KvCache cache, NDArray ids) {
        NDArray s = ids.getShape().dimension() == 1 ? ids.reshape(-1, 1) : ids;
        NDArray out = run(ps, s, false, cache);
        cache.advance(s.getShape().get(1));
        return out;
    }

    private NDArray run(ParameterStore ps, NDArray ids, boolean training, KvCache cache) {
        Shape s = ids.getShape();
        long t0 = cache == null ? 0 : cache.length();
        if (s.dimension() != 2 || t0 + s.get(1) > positions()) {
            throw new GenLabException(
                    "The token transformer takes (B, T) ids with at most "
                            + positions()
                            + " positions in all, got "
                            + s
                            + (t0 > 0 ? " after " + t0 + " cached" : "")
                            + ": build inputs with TokenTransformer.inputs(conditions, tokens).");
        }
        long t = s.get(1);
        NDArray e = ps.getValue(tokenEmbedding, ids.getDevice(), training);
        NDArray p = ps.getValue(positionEmbedding, ids.getDevice(), training);
        // x⁰ = E[s] + P[t₀ .. t₀ + T): a one-hot product is the lookup, and differentiable
        NDArray x =
                ids.toType(DataType.INT64, false)
                        .oneHot(vocabularySize())
                        .matMul(e)
                        .add(p.get(new NDIndex("{}:{}", t0, t0 + t)));
        // xⁿ = DecoderLayerₙ(xⁿ⁻¹)
        for (int n = 0; n < blocks.size(); n++) {
            x = blocks.get(n).apply(ps, x, training, cache, n);
        }
        // ℓ = W_out LN(x^L)
        NDArray h = Children.call(finalNorm, ps, training, x);
        return CausalSelfAttention.linear(head, ps, training, h);
    }

    /**
     * Builds the training input from a prefix and image tokens: s = [prefix ; z₀ … z_{N−2}] (the
     * last token is only ever a target).
     *
     * @param conditions (B) or (B, P) int64 prefix ids ({@link #conditionTokens} or {@link
     *     #nullTokens})
     * @param tokens (B, N) or (B, h, w) int64 image tokens
     * @return (B, P + N − 1) int64
     */
    public static NDArray inputs(NDArray conditions, NDArray tokens) {
        long b = tokens.getShape().get(0);
        NDArray z = tokens.reshape(b, -1).toType(DataType.INT64, false);
        long n = z.getShape().get(1);
        NDArray c = conditions.toType(DataType.INT64, false).reshape(b, -1);
        return c.concat(z.get(new NDIndex(":, 0:{}", n - 1)), 1);
    }

    /**
     * Maps conditions to their prefix ids: class labels c ↦ K + c, or caption word ids v ↦ K + v.
     *
     * @param conditions (B) class labels in [0, C), or (B, L) caption word ids in [0, V) for a
     *     caption model
     * @return (B) or (B, L) int64
     */
    public NDArray conditionTokens(NDArray conditions) {
        if (captionVocabulary > 0) {
            Shape s = conditions.getShape();
            if (s.dimension() != 2 || s.get(1) != prefix) {
                throw new GenLabException(
                        "This token transformer reads captions of "
                                + prefix
                                + " word ids: give (B, "
                                + prefix
                                + ") rows (Tokenizer.encode(text, "
                                + prefix
                                + ")), got "
                                + s
                                + ".");
            }
            return conditions.toType(DataType.INT64, false).add(codes);
        }
        if (classes == 0) {
            throw new GenLabException(
                    "This token transformer is unconditional (0 classes): use nullTokens(manager, b),"
                            + " or build it with optClasses(C) to condition on labels.");
        }
        return conditions.toType(DataType.INT64, false).reshape(-1).add(codes);
    }

    /**
     * Returns B null (unconditional) prefixes: the token K + C, or an all-PAD caption (L × K).
     *
     * @param manager where to create them
     * @param b B
     * @return (B) int64, or (B, L) for a caption model
     */
    public NDArray nullTokens(NDManager manager, long b) {
        Shape s = captionVocabulary > 0 ? new Shape(b, prefix) : new Shape(b);
        return manager.full(s, nullToken(), DataType.INT64);
    }

    /**
     * Returns the id of the null condition: K + C, or K (the PAD word) for a caption model.
     *
     * @return K + C
     */
    public int nullToken() {
        return codes + classes;
    }

    /**
     * Returns the vocabulary size: K + C + 1, or K + V for a caption model.
     *
     * @return the rows of the token embedding
     */
    public int vocabularySize() {
        return captionVocabulary > 0 ? codes + captionVocabulary : codes + classes + 1;
    }

    /**
     * Returns V, the caption vocabulary size counting PAD (0 when the model reads no captions).
     *
     * @return V
     */
    public int captionVocabulary() {
        return captionVocabulary;
    }

    /**
     * Tells whether the prefix is a caption.
     *
     * @return true for a model built with {@link Builder#optCaptions}
     */
    public boolean readsCaptions() {
        return captionVocabulary > 0;
    }

    /**
     * Returns P, the number of prefix tokens: L for captions, 1 otherwise.
     *
     * @return P
     */
    public int prefixLength() {
        return prefix;
    }

    /**
     * Returns the number of positions a sequence has, P + N − 1 (the last image token is never fed
     * in).
     *
     * @return P + N − 1
     */
    public int positions() {
        return prefix + length - 1;
    }

    /**
     * Returns K, the number of image codes.
     *
     * @return K
     */
    public int codes() {
        return codes;
    }

    /**
     * Returns C, the number of classes (0 for an unconditional model).
     *
     * @return C
     */
    public int classes() {
        return classes;
    }

    /**
     * Returns N, the number of image tokens of a sequence.
     *
     * @return N
     */
    public int length() {
        return length;
    }

    /**
     * Describes the network: the settings that rebuild it.
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("transformer.codes", Integer.toString(codes));
        c.put("transformer.classes", Integer.toString(classes));
        c.put("transformer.captionVocabulary", Integer.toString(captionVocabulary));
        c.put("transformer.captionLength", Integer.toString(captionVocabulary > 0 ? prefix : 0));
        c.put("transformer.length", Integer.toString(length));
        c.put("transformer.dim", Integer.toString(dim));
        c.put("transformer.layers", Integer.toString(layers));
        c.put("transformer.heads", Integer.toString(heads));
        return c;
    }

    /**
     * Rebuilds a transformer (uninitialised) from run settings written by {@link #toConfig()}.
     *
     * @param config the settings
     * @return the transformer
     * @throws GenLabException if they do not describe a token transformer
     */
    public static TokenTransformer fromConfig(Map<String, String> config) {
        if (!config.containsKey("transformer.codes")) {
            throw new GenLabException(
                    "These settings do not describe a token transformer (no transformer.codes):"
                            + " is the run folder one of TokenTransformerTrainer's?");
        }
        try {
            return builder()
                    .setCodes(Integer.parseInt(config.get("transformer.codes")))
                    .optClasses(Integer.parseInt(config.get("transformer.classes")))
                    .optCaptions(
                            Integer.parseInt(
                                    config.getOrDefault("transformer.captionVocabulary", "0")),
                            Integer.parseInt(config.getOrDefault("transformer.captionLength", "0")))
                    .optLength(Integer.parseInt(config.get("transformer.length")))
                    .optDim(Integer.parseInt(config.get("transformer.dim")))
                    .optLayers(Integer.parseInt(config.get("transformer.layers")))
                    .optHeads(Integer.parseInt(config.get("transformer.heads")))
                    .build();
        } catch (NumberFormatException e) {
            throw new GenLabException(
                    "The token transformer settings are incomplete or not numbers: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), codes)};
    }

    @Override
    public String toString() {
        return "TokenTransformer(K="
                + codes
                + (captionVocabulary > 0
                        ? ", V=" + captionVocabulary + ", L=" + prefix
                        : ", C=" + classes)
                + ", N="
                + length
                + ", D="
                + dim
                + ", layers="
                + layers
                + ", heads="
                + heads
                + ")";
    }

    /** Builds a {@link TokenTransformer}. */
    public static final class Builder {
        private int codes;
        private int classes;
        private int captionVocabulary;
        private int captionLength;
        private int length = 49;
        private int dim = 128;
        private int layers = 4;
        private int heads = 4;

        private Builder() {}

        /**
         * Sets K, the codebook size of the VQ autoencoder whose tokens are modelled.
         *
         * @param codes K
         * @return this
         */
        public Builder setCodes(int codes) {
            this.codes = codes;
            return this;
        }

        /**
         * Sets C, the number of classes to condition on.
         *
         * @param classes C (default 0: unconditional, every sequence starts with the null token)
         * @return this
         */
        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * Conditions on captions, as DALL-E does: the prefix is a caption's L word ids (word v is
         * the token K + v; word 0 is PAD, and an all-PAD caption is the null condition).
         *
         * @param vocabularySize V, the caption vocabulary size counting PAD (0: no captions)
         * @param contextLength L, the caption length
         * @return this
         */
        public Builder optCaptions(int vocabularySize, int contextLength) {
            this.captionVocabulary = vocabularySize;
            this.captionLength = contextLength;
            return this;
        }

        /**
         * Sets N, the number of image tokens (h·w of the token grid).
         *
         * @param length N (default 49, a 7×7 grid)
         * @return this
         */
        public Builder optLength(int length) {
            this.length = length;
            return this;
        }

        /**
         * Sets the width D.
         *
         * @param dim D (default 128)
         * @return this
         */
        public Builder optDim(int dim) {
            this.dim = dim;
            return this;
        }

        /**
         * Sets the number of decoder layers L.
         *
         * @param layers L (default 4)
         * @return this
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Sets the number of attention heads h.
         *
         * @param heads h, dividing D (default 4)
         * @return this
         */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * Builds the network.
         *
         * @return the network
         */
        public TokenTransformer build() {
            if (codes < 2) {
                throw new GenLabException(
                        "TokenTransformer needs setCodes(K) with K >= 2: the codebook size of the VQ"
                                + " autoencoder (autoencoder.codebookSize in its run), got "
                                + codes
                                + ".");
            }
            if (classes < 0 || length < 1 || layers < 1 || heads < 1) {
                throw new GenLabException(
                        "TokenTransformer needs classes >= 0, length, layers and heads >= 1; got C="
                                + classes
                                + ", N="
                                + length
                                + ", layers="
                                + layers
                                + ", heads="
                                + heads
                                + ".");
            }
            if (captionVocabulary < 0
                    || captionVocabulary == 1
                    || (captionVocabulary > 0 && (captionLength < 1 || classes > 0))) {
                throw new GenLabException(
                        "TokenTransformer reads either classes or captions: optCaptions(V, L) needs"
                                + " V >= 2, L >= 1 and no optClasses; got V="
                                + captionVocabulary
                                + ", L="
                                + captionLength
                                + ", C="
                                + classes
                                + ".");
            }
            if (dim < 1 || dim % heads != 0) {
                throw new GenLabException(
                        "The width D = "
                                + dim
                                + " must be a positive multiple of heads = "
                                + heads);
            }
            return new TokenTransformer(this);
        }
    }
}
