package org.genlab.diffusion.flow;

import ai.djl.ndarray.NDArray;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;

/**
 * The exact flow-matching velocity for data N(μ, diag(σ_0²)), no network. On the straight path x_s
 * = (1 − s) x_0 + s ε, x_s and u = ε − x_0 are jointly Gaussian: E[u] = −μ, Cov(u, x_s) = s − (1 −
 * s) σ_0², Var(x_s) = (1 − s)² σ_0² + s², so v*(x, s) = E[u | x_s = x] = −μ + (s − (1 − s) σ_0²) /
 * Var(x_s) · (x − (1 − s) μ). Its ODE maps x_1 = z exactly to x_0 = μ + σ_0 z.
 */
final class GaussianVelocity implements Denoiser {

    final double[] mu;
    final double[] sd;

    GaussianVelocity(double[] mu, double[] sd) {
        this.mu = mu;
        this.sd = sd;
    }

    @Override
    public NDArray predict(NDArray xs, NDArray t, NDArray labels) {
        double s = FlowPath.time(t.getFloat(0));
        int d = mu.length;
        float[] gain = new float[d];
        float[] shift = new float[d];
        for (int i = 0; i < d; i++) {
            double var0 = sd[i] * sd[i];
            double var = (1 - s) * (1 - s) * var0 + s * s;
            gain[i] = (float) ((s - (1 - s) * var0) / var);
            // v = gain (x − (1 − s) μ) − μ = gain x − (gain (1 − s) + 1) μ
            shift[i] = (float) (-(gain[i] * (1 - s) + 1) * mu[i]);
        }
        NDArray g = xs.getManager().create(gain).reshape(1, d);
        NDArray c = xs.getManager().create(shift).reshape(1, d);
        return xs.mul(g).add(c);
    }

    @Override
    public Prediction prediction() {
        return Prediction.FLOW;
    }
}
