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
 * 2017). A sequence is one condition token followed by the image's N = h·w codes in raster order:
 *
 * <pre>
 *   s = [c ; z₀, z₁, …, z_{N−1}]        c ∈ {K, …, K + C − 1} a class, K + C the null condition
 *   p(z | c) = Π_i p(z_i | c, z_{&lt;i})
 *
 *   x⁰ = E[s_{0..T−1}] + P[0..T)        token embedding E (K + C + 1, D), learned positions P (N, D)
 *   xⁿ = DecoderLayerₙ(xⁿ⁻¹)            n = 1 … L, causal
 *   ℓ  = W_out LN(x^L)                  (B, T, K): ℓ_i are the logits of z_i given s_{0..i}
 * </pre>
 *
 * Notation: K = {@link #codes()} (codebook size), C = {@link #classes()}, N = {@link #length()}.
 * The vocabulary puts the codes first, so an image token is its code and a class c is the id K + c.
 * Input (B, T) int64 ids with T ≤ N, output (B, T, K) logits. {@link #step} runs only the newest
 * positions against a {@link KvCache} and gives the same logits as the full pass.
 *
 * <pre>{@code
 * TokenTransformer net = TokenTransformer.builder().setCodes(128).optClasses(10).build();
 * net.initialize(manager);
 * NDArray logits = net.logits(ps, TokenTransformer.inputs(net.conditionTokens(labels), z), true);
 * }</pre>
 */
public final class TokenTransformer extends LazyBlock {

    /** The model name written into checkpoints. */
    public static final String MODEL = "token-transformer";

    /** The network's name inside checkpoints. */
    public static final String NETWORK = "transformer";

    private final int codes;
    private final int classes;
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
                                .optShape(new Shape(length, dim))
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
        initialize(manager, DataType.FLOAT32, new Shape(2, length));
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
     * @param ids (B, T) int64 ids, T ≤ N, usually {@link #inputs}
     * @param training true while training
     * @return (B, T, K) logits; row i predicts image token z_i
     */
    public NDArray logits(ParameterStore ps, NDArray ids, boolean training) {
        return run(ps, ids, training, null);
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
     * sampling. The first call usually feeds the condition token, each later one the token just
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
        if (s.dimension() != 2 || t0 + s.get(1) > length) {
            throw new GenLabException(
                    "The token transformer takes (B, T) ids with at most "
                            + length
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
     * Builds the training input from conditions and image tokens: s_{0..N−1} = [c ; z₀ … z_{N−2}]
     * (the last token is only ever a target).
     *
     * @param conditions (B) int64 condition ids ({@link #conditionTokens} or {@link #nullTokens})
     * @param tokens (B, N) or (B, h, w) int64 image tokens
     * @return (B, N) int64
     */
    public static NDArray inputs(NDArray conditions, NDArray tokens) {
        long b = tokens.getShape().get(0);
        NDArray z = tokens.reshape(b, -1).toType(DataType.INT64, false);
        long n = z.getShape().get(1);
        NDArray c = conditions.toType(DataType.INT64, false).reshape(b, 1);
        return c.concat(z.get(new NDIndex(":, 0:{}", n - 1)), 1);
    }

    /**
     * Maps class labels to their condition ids K + c.
     *
     * @param labels (B) class labels in [0, C)
     * @return (B) int64
     */
    public NDArray conditionTokens(NDArray labels) {
        if (classes == 0) {
            throw new GenLabException(
                    "This token transformer is unconditional (0 classes): use nullTokens(manager, b),"
                            + " or build it with optClasses(C) to condition on labels.");
        }
        return labels.toType(DataType.INT64, false).add(codes);
    }

    /**
     * Returns B null (unconditional) condition ids K + C.
     *
     * @param manager where to create them
     * @param b B
     * @return (B) int64
     */
    public NDArray nullTokens(NDManager manager, long b) {
        return manager.full(new Shape(b), nullToken(), DataType.INT64);
    }

    /**
     * Returns the id of the null condition, K + C.
     *
     * @return K + C
     */
    public int nullToken() {
        return codes + classes;
    }

    /**
     * Returns the vocabulary size K + C + 1.
     *
     * @return the rows of the token embedding
     */
    public int vocabularySize() {
        return codes + classes + 1;
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
                + ", C="
                + classes
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
