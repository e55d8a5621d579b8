package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import org.genlab.core.GenLabException;

/**
 * What a denoiser's output means. With x_t = √ᾱ x_0 + √(1 − ᾱ) ε:
 *
 * <ul>
 *   <li>{@link #EPSILON}: the noise ε (Ho et al. 2020, the "simple" loss ‖ε − ε_θ(x_t, t)‖²);
 *   <li>{@link #V}: the velocity v = √ᾱ ε − √(1 − ᾱ) x_0 (Salimans &amp; Ho, <i>Progressive
 *       Distillation for Fast Sampling of Diffusion Models</i>, ICLR 2022), then ε = √(1 − ᾱ) x_t +
 *       √ᾱ v and x_0 = √ᾱ x_t − √(1 − ᾱ) v.
 *   <li>{@link #FLOW}: the velocity of flow matching, x_s = (1 − s) x_0 + s ε, u = ε − x_0 (Lipman
 *       et al. 2023).
 * </ul>
 */
public enum Prediction {
    /** The noise ε. */
    EPSILON,
    /** The velocity v = √ᾱ ε − √(1 − ᾱ) x_0 of Salimans &amp; Ho. */
    V,
    /**
     * The flow-matching velocity u = ε − x_0 of the straight path x_s = (1 − s) x_0 + s ε (see
     * {@code org.genlab.diffusion.flow}); it has no ᾱ, so it is sampled with {@code FlowSampler}.
     */
    FLOW;

    /**
     * Converts a model output to the noise estimate ε̂.
     *
     * @param output the denoiser's output
     * @param xt the noisy input
     * @param alphaBar ᾱ_t
     * @return ε̂
     */
    public NDArray toEpsilon(NDArray output, NDArray xt, double alphaBar) {
        noSchedule();
        if (this == EPSILON) {
            return output;
        }
        return xt.mul((float) Math.sqrt(1 - alphaBar)).add(output.mul((float) Math.sqrt(alphaBar)));
    }

    /**
     * Converts a model output to the clean-data estimate x̂_0.
     *
     * @param output the denoiser's output
     * @param xt the noisy input
     * @param alphaBar ᾱ_t
     * @return x̂_0
     */
    public NDArray toX0(NDArray output, NDArray xt, double alphaBar) {
        noSchedule();
        if (this == EPSILON) {
            return xt.sub(output.mul((float) Math.sqrt(1 - alphaBar)))
                    .div((float) Math.sqrt(alphaBar));
        }
        return xt.mul((float) Math.sqrt(alphaBar)).sub(output.mul((float) Math.sqrt(1 - alphaBar)));
    }

    private void noSchedule() {
        if (this == FLOW) {
            throw new GenLabException(
                    "A flow-matching model has no noise schedule ᾱ: sample it with FlowSampler"
                            + " (genlab sample diffusion --sampler euler|heun).");
        }
    }
}
