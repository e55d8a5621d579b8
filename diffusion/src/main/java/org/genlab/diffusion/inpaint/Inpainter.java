package org.genlab.diffusion.inpaint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.Sampler;

/**
 * Inpainting with an unconditionally trained model, after RePaint (Lugmayr et al., <i>RePaint:
 * Inpainting using Denoising Diffusion Probabilistic Models</i>, CVPR 2022). At every reverse step
 * t → t' the known pixels are re-noised to t' from the given image and pasted over the sampler's
 * output, m being 1 where the pixel is known:
 *
 * <pre>
 *   x_t'^known   = a_t' x_0 + σ_t' ε           (a = √ᾱ, σ = √(1 − ᾱ) for DDPM; 1 − s, s for flow)
 *   x_t'^unknown = sampler step from x_t
 *   x_t'         = m ⊙ x_t'^known + (1 − m) ⊙ x_t'^unknown
 * </pre>
 *
 * With {@link Builder#optResampling(int) r &gt; 1} resamplings, x_t' is diffused back to t (x_t =
 * (a_t/a_t') x_t' + √(σ_t² − (a_t/a_t')² σ_t'²) z, which is √(ᾱ_t/ᾱ_t') x_t' + √(1 − ᾱ_t/ᾱ_t') z
 * for DDPM) and the step repeated, so the generated part has time to agree with the known part
 * (RePaint's jump length 1). It wraps a sampler's step (a {@code FlowSampler}'s Euler step for a
 * flow model). On a latent model the mask is applied to the latent grid, so the known region is
 * only kept approximately after decoding.
 */
public final class Inpainter {

    private final Sampler sampler;
    private final int resampling;

    private Inpainter(Builder b) {
        sampler = b.sampler;
        resampling = b.resampling;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fills the unknown pixels.
     *
     * @param denoiser the model (wrap it in guidance for a class)
     * @param known the image (B, C, H, W) in [−1, 1]; its unknown pixels are ignored
     * @param mask 1 where known, 0 where to generate; broadcastable to {@code known}
     * @param labels int64 labels (B) or {@code null}
     * @param listener sees each step, or {@code null}
     * @return the completed images, in {@code known}'s manager
     */
    public NDArray inpaint(
            Denoiser denoiser,
            NDArray known,
            NDArray mask,
            NDArray labels,
            Sampler.Trajectory listener) {
        try (NoGrad scope = NoGrad.enter()) {
            return repaint(denoiser, known, mask, labels, listener);
        }
    }

    private NDArray repaint(
            Denoiser denoiser,
            NDArray known,
            NDArray mask,
            NDArray labels,
            Sampler.Trajectory listener) {
        NDManager outer = known.getManager();
        Shape shape = known.getShape();
        long b = shape.get(0);
        int[] ts = sampler.timesteps();
        NDArray x = outer.randomNormal(shape);
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int tp = sampler.previousTimestep(i);
            try (NDManager sub = outer.newSubManager()) {
                x.attach(sub);
                NDArray tArr = sub.full(new Shape(b), (float) t);
                NDArray next = null;
                NDArray x0 = null;
                for (int u = 0; u < resampling; u++) {
                    NDArray out = denoiser.predict(x, tArr, labels);
                    Sampler.Step step = sampler.step(out, denoiser, i, x);
                    // x_t'^known = a_t' x_0 + σ_t' ε
                    double ap = sampler.signal(tp);
                    NDArray knownNoisy =
                            tp < 0
                                    ? known
                                    : known.mul((float) ap)
                                            .add(
                                                    sub.randomNormal(shape)
                                                            .mul((float) sampler.noise(tp)));
                    next = blend(knownNoisy, step.previous(), mask);
                    x0 = step.x0();
                    if (u + 1 < resampling && tp >= 0) {
                        // x_t = (a_t / a_t') x_t' + √(σ_t² − (a_t / a_t')² σ_t'²) z
                        double r = sampler.signal(t) / ap;
                        double sd = sampler.noise(t);
                        double sdp = sampler.noise(tp);
                        double z = Math.sqrt(Math.max(0, sd * sd - r * r * sdp * sdp));
                        x = next.mul((float) r).add(sub.randomNormal(shape).mul((float) z));
                    } else {
                        break;
                    }
                }
                if (listener != null) {
                    listener.onStep(i, t, next, x0);
                }
                x = next;
                x.attach(outer);
            }
        }
        return x;
    }

    /**
     * m ⊙ known + (1 − m) ⊙ generated.
     *
     * @param known the known values
     * @param generated the generated values
     * @param mask 1 where known
     * @return the blend
     */
    public static NDArray blend(NDArray known, NDArray generated, NDArray mask) {
        return generated.add(known.sub(generated).mul(mask));
    }

    /**
     * Builds a mask (1, 1, H, W), 1 where known, from a named region to generate.
     *
     * @param manager where it lives
     * @param region the part to GENERATE: {@code left}, {@code right}, {@code top}, {@code bottom}
     *     (halves) or {@code center} (the middle half in each direction)
     * @param height H
     * @param width W
     * @return the mask
     */
    public static NDArray mask(NDManager manager, String region, int height, int width) {
        float[] m = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean generate;
                switch (region) {
                    case "left":
                        generate = x < width / 2;
                        break;
                    case "right":
                        generate = x >= width / 2;
                        break;
                    case "top":
                        generate = y < height / 2;
                        break;
                    case "bottom":
                        generate = y >= height / 2;
                        break;
                    case "center":
                        generate =
                                x >= width / 4
                                        && x < width - width / 4
                                        && y >= height / 4
                                        && y < height - height / 4;
                        break;
                    default:
                        throw new GenLabException(
                                "Unknown mask '"
                                        + region
                                        + "': use left, right, top, bottom, center or a PNG.");
                }
                m[y * width + x] = generate ? 0f : 1f;
            }
        }
        return manager.create(m, new Shape(1, 1, height, width));
    }

    /** Builds an {@link Inpainter}. */
    public static final class Builder {
        private Sampler sampler;
        private int resampling = 1;

        private Builder() {}

        /**
         * Sets the sampler whose steps are wrapped.
         *
         * @param sampler DDPM or DDIM
         * @return this
         */
        public Builder setSampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /**
         * Sets r, how many times each step is taken (RePaint uses 10 with DDPM; default 1).
         *
         * @param resampling r ≥ 1
         * @return this
         */
        public Builder optResampling(int resampling) {
            this.resampling = resampling;
            return this;
        }

        /**
         * Builds the inpainter.
         *
         * @return the inpainter
         */
        public Inpainter build() {
            if (sampler == null) {
                throw new GenLabException("Inpainter: setSampler is required.");
            }
            if (resampling < 1) {
                throw new GenLabException("Resampling must be ≥ 1, got " + resampling + ".");
            }
            return new Inpainter(this);
        }
    }
}
