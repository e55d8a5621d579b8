package org.genlab.autoregressive.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.genlab.autoregressive.nn.KvCache;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Scalars;

/**
 * Draws image tokens from a {@link TokenTransformer} one at a time, for B sequences at once, with a
 * key/value cache so that each token costs one pass over one position (Ramesh et al. 2021 sample
 * this way; the top-k truncation is Fan et al., "Hierarchical Neural Story Generation", ACL 2018):
 *
 * <pre>
 *   ℓ   = Transformer.step(cache, prefix)             the P prefix tokens (class or caption), last row
 *   for i = 0 … N−1:
 *     ℓ   = Transformer.step(cache, z_{i−1})            (i &gt; 0)
 *     ℓ   ← ℓ_∅ + w (ℓ_c − ℓ_∅)                          classifier-free guidance, if w ≠ 1
 *     ℓ   ← ℓ / τ;  ℓ_k ← −∞ for all but the k largest   temperature τ, top-k
 *     z_i = argmax_k (ℓ_k + g_k),  g_k = −log(−log u_k), u_k ~ U(0, 1)      (Gumbel-max: z_i ~ softmax(ℓ))
 * </pre>
 *
 * With k = 1 or τ = 0 the draw is the argmax (greedy) and needs no noise. The noise comes from the
 * engine's generator: seed it ({@code Seeds.seed}) for repeatable samples. Decode the returned grid
 * with the VQ autoencoder: {@code vq.decodeTokens(ps, tokens)}.
 */
public final class TokenSampler {

    private final TokenTransformer model;
    private final float temperature;
    private final int topK;
    private final float guidance;
    private final int height;
    private final int width;

    private TokenSampler(Builder b) {
        model = b.model;
        temperature = b.temperature;
        topK = b.topK;
        guidance = b.guidance;
        if (b.height > 0) {
            height = b.height;
            width = b.width;
        } else {
            int side = (int) Math.round(Math.sqrt(model.length()));
            if (side * side != model.length()) {
                throw new GenLabException(
                        "TokenSampler: N = "
                                + model.length()
                                + " tokens is not a square grid: give optGrid(h, w).");
            }
            height = side;
            width = side;
        }
    }

    /**
     * Starts a builder.
     *
     * @return a builder (τ = 1, all codes, no guidance)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Draws one token grid per condition.
     *
     * @param ps the parameter store of the model
     * @param conditions (B) or (B, P) prefix ids: {@code model.conditionTokens(labels or captions)}
     *     or {@code model.nullTokens(manager, B)}
     * @return (B, h, w) int64 tokens, in the conditions' manager
     */
    public NDArray sample(ParameterStore ps, NDArray conditions) {
        NDManager outer = conditions.getManager();
        long b = conditions.getShape().get(0);
        boolean guided = guidance != 1f;
        try (NDManager m = outer.newSubManager();
                NoGrad scope = NoGrad.enter();
                KvCache cache = model.newCache(m)) {
            NDArray c = conditions.toType(DataType.INT64, false).reshape(b, -1);
            if (c.getShape().get(1) != model.prefixLength()) {
                throw new GenLabException(
                        "TokenSampler: the model reads a prefix of "
                                + model.prefixLength()
                                + " tokens, the conditions have "
                                + c.getShape().get(1)
                                + ": build them with model.conditionTokens or model.nullTokens.");
            }
            // guidance: the conditional and the null-prefix sequences in one batch of 2B
            NDArray next = guided ? c.concat(model.nullTokens(m, b).reshape(b, -1)) : c;
            NDList drawn = new NDList();
            for (int i = 0; i < model.length(); i++) {
                // the logits of the newest position predict z_i
                NDArray logits = model.step(ps, cache, next).get(new NDIndex(":, -1, :"));
                if (guided) {
                    // ℓ ← ℓ_∅ + w (ℓ_c − ℓ_∅)
                    NDArray lc = logits.get(new NDIndex("0:{}", b));
                    NDArray lu = logits.get(new NDIndex("{}:", b));
                    logits = lu.add(Scalars.mul(lc.sub(lu), guidance));
                }
                NDArray z = draw(logits);
                drawn.add(z);
                next = guided ? z.concat(z) : z;
            }
            NDArray tokens = NDArrays.stack(drawn, 1).reshape(b, height, width);
            tokens.attach(outer);
            return tokens;
        }
    }

    /**
     * Draws one token per row of logits.
     *
     * @param logits (B, K)
     * @return (B) int64
     */
    NDArray draw(NDArray logits) {
        long k = logits.getShape().get(1);
        if (topK == 1 || temperature == 0f) {
            return logits.argMax(1).toType(DataType.INT64, false);
        }
        // ℓ ← ℓ / τ
        NDArray l = Scalars.div(logits, temperature);
        if (topK > 0 && topK < k) {
            // ℓ_k ← −∞ below the k-th largest
            NDArray kth = l.sort(1).get(new NDIndex(":, {}", k - topK)).reshape(-1, 1);
            l = l.add(Scalars.mul(l.lt(kth).toType(DataType.FLOAT32, false), -1e9f));
        }
        // z = argmax(ℓ + g),  g = −log(−log u)
        NDArray u = l.getManager().randomUniform(1e-10f, 1f, l.getShape());
        NDArray g = u.log().neg().log().neg();
        return l.add(g).argMax(1).toType(DataType.INT64, false);
    }

    /** Builds a {@link TokenSampler}. */
    public static final class Builder {
        private TokenTransformer model;
        private float temperature = 1f;
        private int topK;
        private float guidance = 1f;
        private int height;
        private int width;

        private Builder() {}

        /**
         * Sets the trained transformer.
         *
         * @param model the transformer
         * @return this
         */
        public Builder setModel(TokenTransformer model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the temperature τ: below 1 sharper and less varied, above 1 more varied.
         *
         * @param temperature τ ≥ 0 (default 1; 0 is greedy)
         * @return this
         */
        public Builder optTemperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Keeps only the k most likely codes at each step.
         *
         * @param k k ≥ 0 (default 0: all codes; 1 is greedy)
         * @return this
         */
        public Builder optTopK(int k) {
            this.topK = k;
            return this;
        }

        /**
         * Sets the classifier-free guidance weight w (the model must have been trained with
         * condition dropout).
         *
         * @param w the weight (default 1: plain conditional sampling)
         * @return this
         */
        public Builder optGuidance(float w) {
            this.guidance = w;
            return this;
        }

        /**
         * Sets the token grid's shape when N is not a square.
         *
         * @param height h
         * @param width w, with h·w = N
         * @return this
         */
        public Builder optGrid(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         */
        public TokenSampler build() {
            if (model == null) {
                throw new GenLabException("TokenSampler: setModel is required.");
            }
            if (!(temperature >= 0) || Float.isInfinite(temperature) || topK < 0) {
                throw new GenLabException(
                        "TokenSampler needs a temperature >= 0 and top-k >= 0; got τ="
                                + temperature
                                + ", k="
                                + topK
                                + ".");
            }
            if (height > 0 && (long) height * width != model.length()) {
                throw new GenLabException(
                        "optGrid("
                                + height
                                + ", "
                                + width
                                + ") does not hold N = "
                                + model.length());
            }
            return new TokenSampler(this);
        }
    }
}
