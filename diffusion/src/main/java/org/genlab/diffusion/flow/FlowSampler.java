package org.genlab.diffusion.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.Sampler;

/**
 * Samples a flow-matching model by solving its ODE dx/ds = v_θ(x, s) from s = 1 (x_1 = ε ~ N(0, I))
 * down to s = 0 on N equal steps s_i = 1 − i/N (Lipman et al. 2023; Liu et al. 2023). One step from
 * s to s' &lt; s, with h = s' − s &lt; 0:
 *
 * <pre>
 *   Euler:  x_s' = x_s + h v_θ(x_s, s)
 *   Heun:   x̃ = x_s + h v_θ(x_s, s)                                   (an Euler guess)
 *           x_s' = x_s + h/2 (v_θ(x_s, s) + v_θ(x̃, s'))             (trapezoid; Euler on the last
 *                                                                       step to s' = 0, as Karras
 *                                                                       et al. 2022, Algorithm 1)
 *   x̂_0 = x_s − s v_θ(x_s, s)                                         (where the line started)
 * </pre>
 *
 * Euler costs one network call a step, Heun two (2N − 1 in all) and is second-order accurate.
 * Straight learned paths make few steps enough: rectified flow's point.
 *
 * <p>Notation: {@code s}, {@code sp} = s, s'; {@code h} = h; {@code v} = v_θ; the network is given
 * time s · 1000 ({@link FlowPath#networkTime}). {@link #step} is the Euler step, which {@code
 * Inpainter} uses; {@link #sample} runs the chosen method.
 */
public final class FlowSampler implements Sampler {

    /** The ODE solver. */
    public enum Method {
        /** First order, one network call per step. */
        EULER,
        /** Second order (Heun's method), two calls per step. */
        HEUN
    }

    private final Method method;
    private final int[] timesteps;

    private FlowSampler(Builder b) {
        method = b.method;
        timesteps = new int[b.steps];
        for (int i = 0; i < b.steps; i++) {
            // s_i = 1 − i/N, as the network time s · 1000 (quantised to 1/1000)
            timesteps[i] = (int) Math.round(FlowPath.TIME_SCALE * (1 - (double) i / b.steps));
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
     * Returns the ODE solver.
     *
     * @return Euler or Heun
     */
    public Method method() {
        return method;
    }

    /** The network times s · 1000 of the N steps, from 1000 (s = 1) down. */
    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }

    /** a = 1 − s. */
    @Override
    public double signal(int t) {
        return 1 - FlowPath.time(t);
    }

    /** σ = s. */
    @Override
    public double noise(int t) {
        return FlowPath.time(t);
    }

    /** One Euler step x_s' = x_s + (s' − s) v and x̂_0 = x_s − s v. */
    @Override
    public Step step(NDArray v, Denoiser denoiser, int i, NDArray xs) {
        check(denoiser);
        double s = FlowPath.time(timesteps[i]);
        double sp = FlowPath.time(previousTimestep(i));
        // x_s' = x_s + h v,  h = s' − s
        NDArray next = xs.add(v.mul((float) (sp - s)));
        // x̂_0 = x_s − s v
        return new Step(next, FlowPath.toX0(xs, v, s));
    }

    /**
     * Integrates from x_1 = {@code xT} to s = 0 with the chosen method; one sub-manager per step.
     *
     * @param denoiser the velocity model (its prediction must be {@link Prediction#FLOW})
     * @param xT x_1, noise (not modified)
     * @param labels int64 labels (B) or {@code null}
     * @param listener sees every step (may be {@code null})
     * @return x_0, in {@code xT}'s manager
     */
    @Override
    public NDArray sample(Denoiser denoiser, NDArray xT, NDArray labels, Trajectory listener) {
        check(denoiser);
        try (NoGrad scope = NoGrad.enter()) {
            NDManager outer = xT.getManager();
            NDArray x = xT.duplicate();
            long b = xT.getShape().get(0);
            for (int i = 0; i < timesteps.length; i++) {
                try (NDManager sub = outer.newSubManager()) {
                    x.attach(sub);
                    int tp = previousTimestep(i);
                    NDArray v =
                            denoiser.predict(
                                    x, sub.full(new Shape(b), (float) timesteps[i]), labels);
                    Step euler = step(v, denoiser, i, x);
                    NDArray next = euler.previous();
                    if (method == Method.HEUN && tp >= 0) {
                        double h = FlowPath.time(tp) - FlowPath.time(timesteps[i]);
                        // v' = v_θ(x̃, s'),  x_s' = x_s + h/2 (v + v')
                        NDArray vp =
                                denoiser.predict(next, sub.full(new Shape(b), (float) tp), labels);
                        next = x.add(v.add(vp).mul((float) (h / 2)));
                    }
                    if (listener != null) {
                        listener.onStep(i, timesteps[i], next, euler.x0());
                    }
                    x = next;
                    x.attach(outer);
                }
            }
            return x;
        }
    }

    private static void check(Denoiser denoiser) {
        if (denoiser.prediction() != Prediction.FLOW) {
            throw new GenLabException(
                    "FlowSampler integrates a flow-matching velocity, but this denoiser predicts "
                            + denoiser.prediction()
                            + ": sample it with DdimSampler or DdpmSampler.");
        }
    }

    /** Builds a {@link FlowSampler}. */
    public static final class Builder {
        private Method method = Method.EULER;
        private int steps = 50;

        private Builder() {}

        /**
         * Sets the number of steps N (default 50).
         *
         * @param steps N in [1, 1000]
         * @return this
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets the solver (default Euler).
         *
         * @param method Euler or Heun
         * @return this
         */
        public Builder optMethod(Method method) {
            this.method = method;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         */
        public FlowSampler build() {
            if (steps < 1 || steps > FlowPath.TIME_SCALE) {
                throw new GenLabException(
                        "A flow sampler takes 1 to "
                                + FlowPath.TIME_SCALE
                                + " steps, got "
                                + steps
                                + ".");
            }
            if (method == null) {
                throw new GenLabException("FlowSampler: the method is null.");
            }
            return new FlowSampler(this);
        }
    }
}
