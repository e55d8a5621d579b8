package org.genlab.diffusion.flow;

import ai.djl.ndarray.NDArray;

/**
 * The straight path of rectified flow (Liu et al. 2023) and of conditional flow matching with σ_min
 * = 0 (Lipman et al. 2023, eq. 20–23): from a data point x_0 at time s = 0 to a noise sample ε ~
 * N(0, I) at s = 1,
 *
 * <pre>
 *   x_s = (1 − s) x_0 + s ε          the point at time s ∈ [0, 1]
 *   u   = dx_s/ds = ε − x_0           its velocity, the same all along the line
 *   x̂_0 = x_s − s v                   where a velocity v says the line started
 * </pre>
 *
 * A network sees the time as {@code s · }{@link #TIME_SCALE} so that the sinusoidal time embedding
 * of a UNet built for T = 1000 diffusion steps sees the same range of numbers. The signal and noise
 * levels a = 1 − s and σ = s play the roles of √ᾱ_t and √(1 − ᾱ_t) in DDPM.
 */
public final class FlowPath {

    /** The time a network sees at s = 1 (it sees s · 1000). */
    public static final int TIME_SCALE = 1000;

    private FlowPath() {}

    /**
     * x_s = (1 − s) x_0 + s ε, each sample at its own time.
     *
     * @param x0 data (B, …)
     * @param s times in [0, 1], float32 (B)
     * @param eps noise shaped like x0
     * @return x_s
     */
    public static NDArray sample(NDArray x0, NDArray s, NDArray eps) {
        NDArray sb = broadcastable(s, x0.getShape().dimension());
        // x_s = (1 − s) x_0 + s ε = x_0 + s (ε − x_0)
        return x0.add(eps.sub(x0).mul(sb));
    }

    /**
     * u = ε − x_0, the velocity of the straight line from x_0 to ε.
     *
     * @param x0 data
     * @param eps noise
     * @return u
     */
    public static NDArray velocity(NDArray x0, NDArray eps) {
        return eps.sub(x0);
    }

    /**
     * x̂_0 = x_s − s v: follows the velocity back to s = 0.
     *
     * @param xs the point at time s
     * @param v a velocity at x_s
     * @param s the time
     * @return x̂_0
     */
    public static NDArray toX0(NDArray xs, NDArray v, double s) {
        return xs.sub(v.mul((float) s));
    }

    /**
     * The number the network is given for time s: s · {@link #TIME_SCALE}.
     *
     * @param s times in [0, 1]
     * @return network times
     */
    public static NDArray networkTime(NDArray s) {
        return s.mul((float) TIME_SCALE);
    }

    /**
     * The time s of a network time t (t / {@link #TIME_SCALE}; −1, the samplers' "clean data", is s
     * = 0).
     *
     * @param t a network time
     * @return s in [0, 1]
     */
    public static double time(double t) {
        return Math.max(0, t) / TIME_SCALE;
    }

    private static NDArray broadcastable(NDArray s, int rank) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = s.getShape().get(0);
        return s.reshape(shape);
    }
}
