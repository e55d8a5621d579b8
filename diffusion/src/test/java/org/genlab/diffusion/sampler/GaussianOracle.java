package org.genlab.diffusion.sampler;

import ai.djl.ndarray.NDArray;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * The optimal ε-predictor for 2D Gaussian data N(μ, Σ), no network: x_t is Gaussian, so E[ε | x_t]
 * = √(1 − ᾱ) (ᾱΣ + (1 − ᾱ)I)⁻¹ (x_t − √ᾱ μ).
 */
final class GaussianOracle implements Denoiser {

    final double[] mu;
    final double[][] sigma;
    private final NoiseSchedule schedule;

    GaussianOracle(NoiseSchedule schedule, double[] mu, double[][] sigma) {
        this.schedule = schedule;
        this.mu = mu;
        this.sigma = sigma;
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDArray labels) {
        int step = Math.round(t.getFloat(0));
        double ab = schedule.alphaBar(step);
        double a = ab * sigma[0][0] + 1 - ab;
        double b = ab * sigma[0][1];
        double d = ab * sigma[1][1] + 1 - ab;
        double det = a * d - b * b;
        double k = Math.sqrt(1 - ab);
        float[] inv = {
            (float) (k * d / det),
            (float) (-k * b / det),
            (float) (-k * b / det),
            (float) (k * a / det)
        };
        NDArray centred =
                xt.sub(
                        xt.getManager()
                                .create(
                                        new float[] {
                                            (float) (Math.sqrt(ab) * mu[0]),
                                            (float) (Math.sqrt(ab) * mu[1])
                                        })
                                .reshape(1, 2));
        NDArray m = xt.getManager().create(inv).reshape(2, 2);
        return centred.matMul(m.transpose());
    }
}
