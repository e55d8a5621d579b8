package org.genlab.gan.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;

/**
 * Latent vectors: drawing them (optionally truncated) and moving between them.
 *
 * <p><b>Truncation trick</b> (Brock, Donahue &amp; Simonyan, "Large Scale GAN Training for High
 * Fidelity Natural Image Synthesis" (BigGAN), ICLR 2019): draw z ~ N(0, I) and redraw every entry
 * with |zᵢ| &gt; τ. A smaller τ trades variety for fidelity.
 *
 * <p><b>Interpolation</b>: linear, z(t) = (1 − t) a + t b; or spherical (White, "Sampling
 * Generative Networks", 2016), which stays at the norm typical of a Gaussian in high dimension:
 *
 * <pre>
 *   slerp(a, b; t) = sin((1 − t) Ω) / sin Ω · a + sin(t Ω) / sin Ω · b,   cos Ω = âᵀ b̂
 * </pre>
 */
public final class Latents {

    private static final int MAX_REDRAWS = 1000;

    private Latents() {}

    /**
     * Draws z ~ N(0, I), truncated at τ when τ &gt; 0.
     *
     * @param manager where to create z
     * @param n how many
     * @param dim the latent dimension
     * @param truncation τ, or 0 (or less) for no truncation
     * @return (n, dim)
     */
    public static NDArray sample(NDManager manager, int n, int dim, float truncation) {
        NDArray z = manager.randomNormal(new Shape(n, dim));
        if (truncation > 0) {
            z = truncate(z, truncation);
        }
        return z;
    }

    /**
     * Redraws every entry with |zᵢ| &gt; τ until none is left.
     *
     * @param z latent vectors drawn from N(0, I)
     * @param threshold τ &gt; 0
     * @return z with every |zᵢ| ≤ τ
     */
    public static NDArray truncate(NDArray z, float threshold) {
        if (!(threshold > 0)) {
            throw new GenLabException("The truncation threshold must be > 0, got " + threshold);
        }
        NDManager m = z.getManager();
        for (int i = 0; i < MAX_REDRAWS; i++) {
            NDArray outside = z.abs().gt(threshold);
            if (!outside.any().getBoolean()) {
                return z;
            }
            z = NDArrays.where(outside, m.randomNormal(z.getShape()), z);
        }
        return z.clip(-threshold, threshold);
    }

    /**
     * Linear interpolation.
     *
     * @param a start (dim) or (n, dim)
     * @param b end, same shape
     * @param t from 0 (a) to 1 (b)
     * @return (1 − t) a + t b
     */
    public static NDArray lerp(NDArray a, NDArray b, float t) {
        return a.mul(1 - t).add(b.mul(t));
    }

    /**
     * Spherical linear interpolation, row by row.
     *
     * @param a start (dim) or (n, dim)
     * @param b end, same shape
     * @param t from 0 (a) to 1 (b)
     * @return the point at angle fraction t along the great circle from a to b (scaled between
     *     their norms); linear when a and b are (anti)parallel
     */
    public static NDArray slerp(NDArray a, NDArray b, float t) {
        float[] av = a.toFloatArray();
        float[] bv = b.toFloatArray();
        long dim = a.getShape().get(a.getShape().dimension() - 1);
        int rows = (int) (av.length / dim);
        float[] out = new float[av.length];
        for (int r = 0; r < rows; r++) {
            int o = (int) (r * dim);
            double na = 0;
            double nb = 0;
            double dot = 0;
            for (int i = 0; i < dim; i++) {
                na += av[o + i] * (double) av[o + i];
                nb += bv[o + i] * (double) bv[o + i];
                dot += av[o + i] * (double) bv[o + i];
            }
            double cos = dot / Math.max(1e-12, Math.sqrt(na * nb));
            cos = Math.max(-1, Math.min(1, cos));
            double omega = Math.acos(cos);
            double s = Math.sin(omega);
            double wa;
            double wb;
            if (s < 1e-6) {
                wa = 1 - t;
                wb = t;
            } else {
                wa = Math.sin((1 - t) * omega) / s;
                wb = Math.sin(t * omega) / s;
            }
            for (int i = 0; i < dim; i++) {
                out[o + i] = (float) (wa * av[o + i] + wb * bv[o + i]);
            }
        }
        return a.getManager().create(out, a.getShape());
    }

    /**
     * Returns the points of a path from a to b, both ends included.
     *
     * @param a start (dim)
     * @param b end (dim)
     * @param steps the number of points, at least 2
     * @param spherical true for slerp, false for lerp
     * @return (steps, dim)
     */
    public static NDArray path(NDArray a, NDArray b, int steps, boolean spherical) {
        if (steps < 2) {
            throw new GenLabException("An interpolation needs at least 2 steps, got " + steps);
        }
        NDList points = new NDList();
        for (int i = 0; i < steps; i++) {
            float t = i / (float) (steps - 1);
            NDArray p = spherical ? slerp(a, b, t) : lerp(a, b, t);
            points.add(p.reshape(1, -1));
        }
        return NDArrays.concat(points);
    }
}
