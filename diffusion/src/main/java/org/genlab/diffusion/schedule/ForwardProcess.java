package org.genlab.diffusion.schedule;

import ai.djl.ndarray.NDArray;

/**
 * The forward (noising) process of a diffusion, in closed form (Ho et al. 2020, eq. 4):
 *
 * <pre>
 *   q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I),   so   x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε,  ε ~ N(0, I)
 * </pre>
 *
 * <p>Note: DJL's Stable Diffusion example scales x_0 by ᾱ instead of √ᾱ; that is wrong, and a test
 * here checks the mean and variance of many draws against the formula above.
 */
public final class ForwardProcess {

    private ForwardProcess() {}

    /**
     * Noises a batch, each image to its own step.
     *
     * @param tables the schedule's device tables
     * @param x0 clean data (B, …)
     * @param t int64 steps (B)
     * @param epsilon standard normal noise shaped like x0
     * @return x_t
     */
    public static NDArray sample(
            NoiseSchedule.Tensors tables, NDArray x0, NDArray t, NDArray epsilon) {
        int rank = x0.getShape().dimension();
        return x0.mul(tables.sqrtAlphaBar(t, rank))
                .add(epsilon.mul(tables.sqrtOneMinusAlphaBar(t, rank)));
    }

    /**
     * Noises a batch to one step t (host coefficients: no gather).
     *
     * @param schedule the schedule
     * @param x0 clean data
     * @param t 0-based step, or −1 for none
     * @param epsilon standard normal noise shaped like x0
     * @return x_t
     */
    public static NDArray sample(NoiseSchedule schedule, NDArray x0, int t, NDArray epsilon) {
        double ab = schedule.alphaBar(t);
        return x0.mul((float) Math.sqrt(ab)).add(epsilon.mul((float) Math.sqrt(1 - ab)));
    }

    /**
     * The v-prediction target of Salimans &amp; Ho, <i>Progressive Distillation</i> (ICLR 2022): v
     * = √ᾱ_t ε − √(1 − ᾱ_t) x_0.
     *
     * @param tables the schedule's device tables
     * @param x0 clean data
     * @param t int64 steps (B)
     * @param epsilon the noise used to make x_t
     * @return v
     */
    public static NDArray velocity(
            NoiseSchedule.Tensors tables, NDArray x0, NDArray t, NDArray epsilon) {
        int rank = x0.getShape().dimension();
        return epsilon.mul(tables.sqrtAlphaBar(t, rank))
                .sub(x0.mul(tables.sqrtOneMinusAlphaBar(t, rank)));
    }
}
