package org.genlab.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * Ancestral sampling of Ho et al. 2020 (Algorithm 2), over all T steps: estimate x̂_0 from ε̂, then
 * draw from the posterior q(x_{t−1} | x_t, x̂_0):
 *
 * <pre>
 *   x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t                   (optionally clipped to [−1, 1])
 *   x_{t−1} = μ̃_t(x_t, x̂_0) + √β̃_t z,   z ~ N(0, I) (none at the last step)
 * </pre>
 *
 * Without clipping this equals the paper's x_{t−1} = (x_t − β_t/√(1 − ᾱ_t) ε̂)/√α_t + σ_t z with
 * σ_t² = β̃_t.
 */
public final class DdpmSampler implements Sampler {

    private final NoiseSchedule schedule;
    private final boolean clip;
    private final int[] timesteps;

    private DdpmSampler(Builder b) {
        schedule = b.schedule;
        clip = b.clip;
        timesteps = new int[schedule.steps()];
        for (int i = 0; i < timesteps.length; i++) {
            timesteps[i] = timesteps.length - 1 - i;
        }
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
     * Returns the noise schedule.
     *
     * @return the schedule
     */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** √ᾱ_t. */
    @Override
    public double signal(int t) {
        return Math.sqrt(schedule.alphaBar(t));
    }

    /** √(1 − ᾱ_t). */
    @Override
    public double noise(int t) {
        return Math.sqrt(1 - schedule.alphaBar(t));
    }

    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public Step step(NDArray out, Denoiser denoiser, int i, NDArray xt) {
        int t = timesteps[i];
        NDArray x0 = denoiser.prediction().toX0(out, xt, schedule.alphaBar(t));
        if (clip) {
            x0 = x0.clip(-1f, 1f);
        }
        NDArray mean =
                x0.mul((float) schedule.posteriorMeanCoefX0(t))
                        .add(xt.mul((float) schedule.posteriorMeanCoefXt(t)));
        if (t > 0) {
            float sigma = (float) Math.sqrt(schedule.posteriorVariance(t));
            mean = mean.add(xt.getManager().randomNormal(xt.getShape()).mul(sigma));
        }
        return new Step(mean, x0);
    }

    /** Builds a {@link DdpmSampler}. */
    public static final class Builder {
        private NoiseSchedule schedule;
        private boolean clip = true;

        private Builder() {}

        /**
         * Sets the schedule the model was trained with.
         *
         * @param schedule the schedule
         * @return this
         */
        public Builder setSchedule(NoiseSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Clips x̂_0 to [−1, 1], the image range (default true; turn off for unbounded data).
         *
         * @param clip whether to clip
         * @return this
         */
        public Builder optClipDenoised(boolean clip) {
            this.clip = clip;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         */
        public DdpmSampler build() {
            if (schedule == null) {
                throw new org.genlab.core.GenLabException("DdpmSampler: setSchedule is required.");
            }
            return new DdpmSampler(this);
        }
    }
}
