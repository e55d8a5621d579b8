package org.genlab.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.nn.NoGrad;
import org.genlab.diffusion.nn.Denoiser;

/**
 * The reverse process: starts from x_T ~ N(0, I) and walks down a decreasing list of steps, asking
 * a {@link Denoiser} for ε̂ at each one (diffusers' "pipeline" + "scheduler step"). The two
 * implementations are {@link DdpmSampler} (Ho et al. 2020, all T steps) and {@link DdimSampler}
 * (Song et al. 2021, any sub-sequence, η from 0 = deterministic to 1 = DDPM-like); a flow-matching
 * model is integrated by {@code org.genlab.diffusion.flow.FlowSampler}.
 *
 * <p>Randomness comes from the engine's generator: seed it ({@code Seeds.seed}) before sampling and
 * the samples are reproducible.
 */
public interface Sampler {

    /**
     * The signal level a_t of the path x_t = a_t x_0 + σ_t ε at a step (√ᾱ_t for DDPM and DDIM, 1 −
     * s for flow matching); 1 at t = −1, the clean data. Inpainting and classifier guidance use it.
     *
     * @param t a step of {@link #timesteps()}, or −1
     * @return a_t
     */
    double signal(int t);

    /**
     * The noise level σ_t of the path x_t = a_t x_0 + σ_t ε at a step (√(1 − ᾱ_t), or s for flow
     * matching); 0 at t = −1.
     *
     * @param t a step of {@link #timesteps()}, or −1
     * @return σ_t
     */
    double noise(int t);

    /**
     * Returns the steps visited, in decreasing order (0-based).
     *
     * @return the steps
     */
    int[] timesteps();

    /**
     * Takes one reverse step from {@code timesteps()[i]} to the next step in the list (or to x_0).
     *
     * @param denoiserOutput the denoiser's prediction at x_t
     * @param denoiser the denoiser (for its {@link Denoiser#prediction()} type)
     * @param i the index into {@link #timesteps()}
     * @param xt the current sample
     * @return x at the next step and the current estimate of x_0
     */
    Step step(NDArray denoiserOutput, Denoiser denoiser, int i, NDArray xt);

    /**
     * Returns the step the i-th reverse step lands on, −1 for the clean data.
     *
     * @param i the index into {@link #timesteps()}
     * @return the next step
     */
    default int previousTimestep(int i) {
        int[] ts = timesteps();
        return i + 1 < ts.length ? ts[i + 1] : -1;
    }

    /**
     * Draws samples.
     *
     * @param denoiser the model
     * @param manager where the result lives
     * @param shape the batch shape, e.g. (64, 1, 28, 28)
     * @param labels int64 class labels (B) or {@code null}
     * @return x_0
     */
    default NDArray sample(Denoiser denoiser, NDManager manager, Shape shape, NDArray labels) {
        return sample(denoiser, manager.randomNormal(shape), labels, null);
    }

    /**
     * Runs the reverse process from a given x_T. Temporaries of each step are freed at the end of
     * the step (one sub-manager per step).
     *
     * @param denoiser the model
     * @param xT the starting noise (not modified)
     * @param labels int64 labels (B) or {@code null}
     * @param listener sees every step (may be {@code null}); copy what you keep
     * @return x_0, in {@code xT}'s manager
     */
    default NDArray sample(Denoiser denoiser, NDArray xT, NDArray labels, Trajectory listener) {
        try (NoGrad scope = NoGrad.enter()) {
            return reverse(this, denoiser, xT, labels, listener);
        }
    }

    private static NDArray reverse(
            Sampler sampler, Denoiser denoiser, NDArray xT, NDArray labels, Trajectory listener) {
        NDManager outer = xT.getManager();
        NDArray x = xT.duplicate();
        int[] ts = sampler.timesteps();
        long b = xT.getShape().get(0);
        for (int i = 0; i < ts.length; i++) {
            try (NDManager sub = outer.newSubManager()) {
                x.attach(sub);
                NDArray t = sub.full(new Shape(b), (float) ts[i]);
                NDArray out = denoiser.predict(x, t, labels);
                Step s = sampler.step(out, denoiser, i, x);
                if (listener != null) {
                    listener.onStep(i, ts[i], s.previous(), s.x0());
                }
                x = s.previous();
                x.attach(outer);
            }
        }
        return x;
    }

    /** Sees each reverse step, e.g. to make a GIF of the trajectory. */
    @FunctionalInterface
    interface Trajectory {
        /**
         * Called after each step.
         *
         * @param i the index into the sampler's timesteps
         * @param t the step just denoised
         * @param next the sample after the step (x_{t'})
         * @param x0 the current estimate of x_0
         */
        void onStep(int i, int t, NDArray next, NDArray x0);
    }

    /**
     * The result of one reverse step.
     *
     * @param previous x at the next (lower) step
     * @param x0 the estimate of x_0 made at this step
     */
    record Step(NDArray previous, NDArray x0) {}
}
