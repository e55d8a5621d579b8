package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.genlab.core.GenLabException;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.text.clip.Clip;

/**
 * Image variations and interpolations with an unCLIP decoder (Ramesh et al. 2022, §3.1 and §3.2).
 * An image x is embedded by CLIP, z_i = normalize(f_img(x) W_i), and z_i is decoded from fresh
 * noise with classifier-free guidance
 *
 * <pre>
 *   ε̃ = ε(x_t, ∅) + w (ε(x_t, z_i) − ε(x_t, ∅))        ∅ = the zero vector
 * </pre>
 *
 * so each seed gives another image that keeps what CLIP kept of x (its class, its style) and
 * changes the rest. Between two images a and b, the embeddings are interpolated on the unit sphere
 * (spherical interpolation, Shoemake 1985)
 *
 * <pre>
 *   z(t) = sin((1 − t) θ) / sin θ · z_a + sin(t θ) / sin θ · z_b,    θ = arccos(z_a · z_b)
 * </pre>
 *
 * and every z(t) is decoded from the same noise, so only the condition changes along the strip.
 *
 * <pre>{@code
 * Variations v = Variations.builder().setDecoder(model).setClip(clip).optGuidance(3f).build();
 * NDArray eight = v.of(image, 8, 42);                       // (8, C, H, W)
 * NDArray strip = v.interpolate(imageA, imageB, 8, 42);     // (8, C, H, W)
 * }</pre>
 */
public final class Variations {

    private final TrainedModel decoder;
    private final Clip clip;
    private final float guidance;
    private final String sampler;
    private final int steps;

    private Variations(Builder b) {
        decoder = b.decoder;
        clip = b.clip;
        guidance = b.guidance;
        sampler = b.sampler != null ? b.sampler : b.decoder.defaultSampler();
        steps = b.steps;
    }

    /**
     * Starts a builder.
     *
     * @return a builder (w = 3, the decoder's default sampler, 50 steps)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Embeds images with CLIP.
     *
     * @param images (B, C, H, W) in [−1, 1]
     * @return z_i (B, D) unit rows
     */
    public NDArray embed(NDArray images) {
        return ClipEmbeddings.embed(clip, images);
    }

    /**
     * Decodes embeddings, one image each, from noise drawn with the seed.
     *
     * @param z (B, D) CLIP image embeddings (a row of zeros: unconditional)
     * @param seed the noise seed
     * @return images (B, C, H, W) in [−1, 1], in z's manager
     */
    public NDArray decode(NDArray z, long seed) {
        NDManager m = z.getManager();
        Seeds.seed(seed);
        NDArray xT = m.randomNormal(decoder.batchShape((int) z.getShape().get(0)));
        return decodeFrom(xT, z);
    }

    /**
     * Draws n variations of one image: its embedding decoded from n different noises.
     *
     * @param image (1, C, H, W) or (C, H, W) in [−1, 1]
     * @param n how many
     * @param seed the noise seed
     * @return images (n, C, H, W) in [−1, 1]
     */
    public NDArray of(NDArray image, int n, long seed) {
        if (n < 1) {
            throw new GenLabException("Variations: n must be ≥ 1, got " + n + ".");
        }
        NDArray x = image.getShape().dimension() == 3 ? image.expandDims(0) : image;
        NDArray z = embed(x.get("0:1"));
        return decode(z.repeat(0, n), seed);
    }

    /**
     * Interpolates between two images: their embeddings joined by {@link #slerp}, each point
     * decoded from the same noise.
     *
     * @param a the first image (1, C, H, W) or (C, H, W)
     * @param b the second image, same shape
     * @param frames how many points, t = 0, 1/(frames−1), …, 1 (at least 2)
     * @param seed the noise seed, shared by every frame
     * @return images (frames, C, H, W) in [−1, 1]
     */
    public NDArray interpolate(NDArray a, NDArray b, int frames, long seed) {
        if (frames < 2) {
            throw new GenLabException(
                    "An interpolation needs at least 2 frames, got " + frames + ".");
        }
        NDArray xa = a.getShape().dimension() == 3 ? a.expandDims(0) : a;
        NDArray xb = b.getShape().dimension() == 3 ? b.expandDims(0) : b;
        float[] za = embed(xa.get("0:1")).toFloatArray();
        float[] zb = embed(xb.get("0:1")).toFloatArray();
        float[][] rows = new float[frames][];
        for (int i = 0; i < frames; i++) {
            rows[i] = slerp(za, zb, i / (double) (frames - 1));
        }
        NDManager m = a.getManager();
        Seeds.seed(seed);
        NDArray one = m.randomNormal(decoder.batchShape(1));
        NDArray xT = one.repeat(0, frames);
        return decodeFrom(xT, m.create(rows));
    }

    /**
     * Spherical interpolation between two unit vectors: z(t) = sin((1 − t) θ) / sin θ · a + sin(t
     * θ) / sin θ · b with θ = arccos(a · b); it stays on the unit sphere, where CLIP's embeddings
     * live (straight-line interpolation would shrink towards the origin). For (nearly) parallel
     * vectors it falls back to (1 − t) a + t b.
     *
     * @param a z_a, unit length
     * @param b z_b, unit length, same length as a
     * @param t in [0, 1]
     * @return z(t)
     */
    public static float[] slerp(float[] a, float[] b, double t) {
        if (a.length != b.length) {
            throw new GenLabException(
                    "slerp: vectors of " + a.length + " and " + b.length + " entries.");
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        double theta = Math.acos(Math.max(-1, Math.min(1, dot)));
        double sin = Math.sin(theta);
        double wa = sin < 1e-6 ? 1 - t : Math.sin((1 - t) * theta) / sin;
        double wb = sin < 1e-6 ? t : Math.sin(t * theta) / sin;
        float[] z = new float[a.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return z;
    }

    /** Runs the reverse process from x_T towards the embeddings, guided, and decodes. */
    private NDArray decodeFrom(NDArray xT, NDArray z) {
        Denoiser d = decoder.denoiser();
        if (guidance != 1f) {
            d = ClassifierFreeGuidance.forEmbeddings(d, guidance);
        }
        Sampler s = decoder.sampler(sampler, steps, 0f);
        return decoder.decode(s.sample(d, xT, z, null));
    }

    /**
     * Returns the guidance weight w.
     *
     * @return w
     */
    public float guidance() {
        return guidance;
    }

    /** Builds {@link Variations}. */
    public static final class Builder {
        private TrainedModel decoder;
        private Clip clip;
        private float guidance = 3f;
        private String sampler;
        private int steps = 50;

        private Builder() {}

        /**
         * Sets the decoder: a run trained with {@code genlab train diffusion --clip-image}.
         *
         * @param decoder the opened run
         * @return this
         */
        public Builder setDecoder(TrainedModel decoder) {
            this.decoder = decoder;
            return this;
        }

        /**
         * Sets the CLIP model whose image embeddings the decoder was trained on.
         *
         * @param clip the CLIP model ({@code Clip.load(UnclipDecoder.clipRun(config), m)})
         * @return this
         */
        public Builder setClip(Clip clip) {
            this.clip = clip;
            return this;
        }

        /**
         * Sets the guidance weight w (default 3; 1 = no guidance).
         *
         * @param w w ≥ 0
         * @return this
         */
        public Builder optGuidance(float w) {
            this.guidance = w;
            return this;
        }

        /**
         * Sets the sampler and its steps (default: ddim for DDPM runs, euler for flow runs; 50).
         *
         * @param name ddpm, ddim, euler or heun
         * @param steps the steps
         * @return this
         */
        public Builder optSampler(String name, int steps) {
            this.sampler = name;
            this.steps = steps;
            return this;
        }

        /**
         * Builds the sampler of variations.
         *
         * @return the variations
         * @throws GenLabException when the decoder does not read CLIP image embeddings, or the
         *     embeddings' lengths differ
         */
        public Variations build() {
            if (decoder == null || clip == null) {
                throw new GenLabException("Variations: setDecoder and setClip are required.");
            }
            if (!decoder.isEmbeddingConditional()) {
                throw new GenLabException(
                        "This run does not read CLIP image embeddings: train a decoder with"
                                + " genlab train diffusion --clip-image CLIP_RUN.");
            }
            int d = decoder.spec().contextLength();
            if (d != clip.spec().embedDim()) {
                throw new GenLabException(
                        "The decoder reads embeddings of "
                                + d
                                + " numbers but this CLIP model makes "
                                + clip.spec().embedDim()
                                + ": use the CLIP run the decoder was trained with.");
            }
            if (steps < 1 || guidance < 0) {
                throw new GenLabException(
                        "Variations: steps must be ≥ 1 and w ≥ 0, got "
                                + steps
                                + " and "
                                + guidance
                                + ".");
            }
            return new Variations(this);
        }
    }
}
