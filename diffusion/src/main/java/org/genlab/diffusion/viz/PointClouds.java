package org.genlab.diffusion.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.chart.Charts;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.ForwardProcess;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * Diffusion of a 2D point cloud, drawn: the forward process spreading the data into a Gaussian, the
 * reverse process gathering noise back onto the data, and the drift field of the reverse process —
 * the mean displacement μ_θ(x_t, t) − x_t of one reverse step (Ho et al. 2020, eq. 11), with μ_θ
 * the posterior mean μ̃_t(x_t, x̂_0) — which points towards the data and sharpens as t falls.
 */
public final class PointClouds {

    private PointClouds() {}

    /**
     * Frames of the forward process q(x_t | x_0) at evenly spaced t.
     *
     * @param schedule the schedule
     * @param data (N, 2) points
     * @param frames how many
     * @param size pixels
     * @return the frames
     */
    public static List<BufferedImage> forward(
            NoiseSchedule schedule, NDArray data, int frames, int size) {
        List<BufferedImage> out = new ArrayList<>();
        NDArray eps = data.getManager().randomNormal(data.getShape());
        for (int i = 0; i < frames; i++) {
            int t = i == 0 ? -1 : (int) Math.round((schedule.steps() - 1) * i / (frames - 1.0));
            NDArray xt = ForwardProcess.sample(schedule, data, t, eps);
            out.add(scatter(xt, "forward, t = " + (t + 1), size));
        }
        return out;
    }

    /**
     * Frames of flow matching's straight path x_s = (1 − s) x_0 + s ε at evenly spaced s.
     *
     * @param data (N, 2) points
     * @param frames how many
     * @param size pixels
     * @return the frames
     */
    public static List<BufferedImage> flowForward(NDArray data, int frames, int size) {
        List<BufferedImage> out = new ArrayList<>();
        NDManager m = data.getManager();
        NDArray eps = m.randomNormal(data.getShape());
        for (int i = 0; i < frames; i++) {
            float s = i / (frames - 1f);
            NDArray xs = FlowPath.sample(data, m.full(new Shape(data.getShape().get(0)), s), eps);
            out.add(scatter(xs, String.format(Locale.ROOT, "straight path, s = %.2f", s), size));
        }
        return out;
    }

    /**
     * Plots a flow-matching model's velocity on a grid over [−lim, lim]² at time s: the arrows are
     * −v_θ(x, s) · 0.1, where an Euler step of Δs = 0.1 towards the data moves each point. Unlike
     * the DDPM drift ({@link #driftField}), the field is an ODE's: following it is the sampler.
     *
     * @param denoiser a flow-matching model
     * @param s the time in [0, 1]
     * @param background data points under the arrows (may be {@code null})
     * @param lim the half-width of the grid
     * @param n grid points per side
     * @param size pixels
     * @return the picture
     */
    public static BufferedImage velocityField(
            Denoiser denoiser, double s, float[][] background, float lim, int n, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] g = grid(lim, n);
            NDArray x = m.create(g, new Shape((long) n * n, 2));
            NDArray t = m.full(new Shape((long) n * n), (float) (s * FlowPath.TIME_SCALE));
            float[] d = denoiser.predict(x, t, null).mul(-0.1f).toFloatArray();
            return Charts.toImage(
                    Charts.vectorField(
                            points(g),
                            points(d),
                            background,
                            String.format(Locale.ROOT, "velocity field at s = %.2f", s)),
                    size,
                    size);
        }
    }

    private static float[] grid(float lim, int n) {
        float[] g = new float[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[2 * (i * n + j)] = -lim + 2 * lim * j / (n - 1f);
                g[2 * (i * n + j) + 1] = -lim + 2 * lim * i / (n - 1f);
            }
        }
        return g;
    }

    private static float[][] points(float[] flat) {
        float[][] p = new float[flat.length / 2][2];
        for (int k = 0; k < p.length; k++) {
            p[k][0] = flat[2 * k];
            p[k][1] = flat[2 * k + 1];
        }
        return p;
    }

    /**
     * Records frames of a reverse process on points.
     *
     * @param every keep one step in this many (and the last)
     * @param size pixels
     * @return a recorder to pass to {@link Sampler#sample}
     */
    public static Recorder reverse(int every, int size) {
        return new Recorder(every, size);
    }

    /**
     * Plots the drift of one reverse step on a grid over [−lim, lim]².
     *
     * @param denoiser the model
     * @param schedule the schedule
     * @param t the step
     * @param background data points under the arrows (may be {@code null})
     * @param lim the half-width of the grid
     * @param n grid points per side
     * @param size pixels
     * @return the picture
     */
    public static BufferedImage driftField(
            Denoiser denoiser,
            NoiseSchedule schedule,
            int t,
            float[][] background,
            float lim,
            int n,
            int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] g = grid(lim, n);
            NDArray x = m.create(g, new Shape((long) n * n, 2));
            NDArray out = denoiser.predict(x, m.full(new Shape((long) n * n), (float) t), null);
            NDArray x0 = denoiser.prediction().toX0(out, x, schedule.alphaBar(t));
            NDArray mean =
                    x0.mul((float) schedule.posteriorMeanCoefX0(t))
                            .add(x.mul((float) schedule.posteriorMeanCoefXt(t)));
            float[] d = mean.sub(x).toFloatArray();
            return Charts.toImage(
                    Charts.vectorField(
                            points(g), points(d), background, "reverse drift at t = " + (t + 1)),
                    size,
                    size);
        }
    }

    static BufferedImage scatter(NDArray points, String title, int size) {
        float[] f = points.toFloatArray();
        float[][] p = new float[f.length / 2][2];
        for (int i = 0; i < p.length; i++) {
            p[i][0] = Math.max(-4, Math.min(4, f[2 * i]));
            p[i][1] = Math.max(-4, Math.min(4, f[2 * i + 1]));
        }
        Map<String, float[][]> s = new LinkedHashMap<>();
        s.put("x_t", p);
        return Charts.toImage(Charts.scatter(s, title), size, size);
    }

    /** Keeps scatter plots of the reverse process. */
    public static final class Recorder implements Sampler.Trajectory {
        private final int every;
        private final int size;
        private final List<BufferedImage> frames = new ArrayList<>();

        Recorder(int every, int size) {
            this.every = Math.max(1, every);
            this.size = size;
        }

        @Override
        public void onStep(int i, int t, NDArray next, NDArray x0) {
            if (i % every == 0 || t == 0) {
                frames.add(scatter(next, "reverse, t = " + t, size));
            }
        }

        /**
         * Returns the frames.
         *
         * @return the frames
         */
        public List<BufferedImage> frames() {
            return frames;
        }
    }
}
