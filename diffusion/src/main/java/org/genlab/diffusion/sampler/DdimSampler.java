package org.genlab.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * Denoising Diffusion Implicit Models (Song, Meng &amp; Ermon, ICLR 2021): the same trained
 * ε-model, sampled on any decreasing sub-sequence τ of the T steps ("respacing"), from a step t to
 * the next step t' &lt; t of the sequence. One step, as {@link #step} computes it:
 *
 * <pre>
 *   1. x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t                        "predicted x_0" in eq. 12
 *      (optionally clipped to [−1, 1], then ε̂ = (x_t − √ᾱ_t x̂_0) / √(1 − ᾱ_t))
 *   2. σ = η √((1 − ᾱ_t') / (1 − ᾱ_t)) √(1 − ᾱ_t / ᾱ_t')              eq. 16
 *   3. dir = √(1 − ᾱ_t' − σ²)                       weight of "the direction pointing to x_t"
 *   4. x_t' = √ᾱ_t' x̂_0 + dir · ε̂ + σ z,   z ~ N(0, I)                 eq. 12
 * </pre>
 *
 * η = 0 is deterministic (the same x_T always gives the same x_0); η = 1 over all T steps is DDPM's
 * ancestral sampler.
 *
 * <p>Notation (code → paper): {@code t} = t = τ_i, the step being denoised; {@code tp} = t' =
 * τ_{i−1}, the next step of the sequence ({@link #previousTimestep}; −1 means x_0 itself, with ᾱ =
 * 1); {@code ab} = ᾱ_t and {@code abPrev} = ᾱ_t' (the paper writes α for what Ho et al. and this
 * code call ᾱ); {@code x0} = x̂_0; {@code eps} = ε̂ = ε_θ(x_t, t); {@code sigma} = σ_τ_i(η); {@code
 * dir} = √(1 − ᾱ_t' − σ²); {@code eta} = η; {@code next} = x_t'.
 */
public final class DdimSampler implements Sampler {

    private final NoiseSchedule schedule;
    private final int[] timesteps;
    private final float eta;
    private final boolean clip;

    private DdimSampler(Builder b) {
        schedule = b.schedule;
        eta = b.eta;
        clip = b.clip;
        int total = schedule.steps();
        int n = b.steps <= 0 ? Math.min(50, total) : b.steps;
        if (n > total) {
            throw new GenLabException(
                    "DDIM cannot take " + n + " steps with a " + total + "-step schedule.");
        }
        timesteps = new int[n];
        for (int i = 0; i < n; i++) {
            timesteps[i] =
                    n == 1
                            ? total - 1
                            : (int) Math.round((total - 1) * (double) (n - 1 - i) / (n - 1));
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

    /**
     * Returns η.
     *
     * @return η
     */
    public float eta() {
        return eta;
    }

    @Override
    public Step step(NDArray out, Denoiser denoiser, int i, NDArray xt) {
        int t = timesteps[i];
        int tp = previousTimestep(i);
        double ab = schedule.alphaBar(t);
        double abPrev = schedule.alphaBar(tp);
        // 1. x̂_0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t
        NDArray x0 = denoiser.prediction().toX0(out, xt, ab);
        NDArray eps;
        if (clip) {
            x0 = x0.clip(-1f, 1f);
            eps = xt.sub(x0.mul((float) Math.sqrt(ab))).div((float) Math.sqrt(1 - ab));
        } else {
            eps = denoiser.prediction().toEpsilon(out, xt, ab);
        }
        // 2. σ = η √((1 − ᾱ_t') / (1 − ᾱ_t)) √(1 − ᾱ_t / ᾱ_t')                         (eq. 16)
        double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
        // 3. dir = √(1 − ᾱ_t' − σ²)
        double dir = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
        // 4. x_t' = √ᾱ_t' x̂_0 + dir ε̂ + σ z                                            (eq. 12)
        NDArray next = x0.mul((float) Math.sqrt(abPrev)).add(eps.mul((float) dir));
        if (sigma > 0) {
            next = next.add(xt.getManager().randomNormal(xt.getShape()).mul((float) sigma));
        }
        return new Step(next, x0);
    }

    /** Builds a {@link DdimSampler}. */
    public static final class Builder {
        private NoiseSchedule schedule;
        private int steps = 50;
        private float eta;
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
         * Sets the number of sampling steps S ≤ T, evenly spaced from T−1 to 0 (default 50).
         *
         * @param steps S
         * @return this
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets η (default 0, deterministic).
         *
         * @param eta η in [0, 1]
         * @return this
         */
        public Builder optEta(float eta) {
            this.eta = eta;
            return this;
        }

        /**
         * Clips x̂_0 to [−1, 1] (default true).
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
        public DdimSampler build() {
            if (schedule == null) {
                throw new GenLabException("DdimSampler: setSchedule is required.");
            }
            if (steps < 1) {
                throw new GenLabException("DDIM needs at least 1 step, got " + steps + ".");
            }
            if (eta < 0 || eta > 1) {
                throw new GenLabException("DDIM η must be in [0, 1], got " + eta + ".");
            }
            return new DdimSampler(this);
        }
    }
}
