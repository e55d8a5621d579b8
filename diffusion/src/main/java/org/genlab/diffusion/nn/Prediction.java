package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;

/**
 * What a denoiser's output means. With x_t = √ᾱ x_0 + √(1 − ᾱ) ε:
 *
 * <ul>
 *   <li>{@link #EPSILON}: the noise ε (Ho et al. 2020, the "simple" loss ‖ε − ε_θ(x_t, t)‖²);
 *   <li>{@link #V}: the velocity v = √ᾱ ε − √(1 − ᾱ) x_0 (Salimans &amp; Ho, <i>Progressive
 *       Distillation for Fast Sampling of Diffusion Models</i>, ICLR 2022), then ε = √(1 − ᾱ) x_t +
 *       √ᾱ v and x_0 = √ᾱ x_t − √(1 − ᾱ) v.
 * </ul>
 */
public enum Prediction {
    EPSILON,
    V;

    /**
     * Converts a model output to the noise estimate ε̂.
     *
     * @param output the denoiser's output
     * @param xt the noisy input
     * @param alphaBar ᾱ_t
     * @return ε̂
     */
    public NDArray toEpsilon(NDArray output, NDArray xt, double alphaBar) {
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
        if (this == EPSILON) {
            return xt.sub(output.mul((float) Math.sqrt(1 - alphaBar)))
                    .div((float) Math.sqrt(alphaBar));
        }
        return xt.mul((float) Math.sqrt(alphaBar)).sub(output.mul((float) Math.sqrt(1 - alphaBar)));
    }
}
