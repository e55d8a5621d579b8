package org.genlab.diffusion.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.SampleGrid;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.ForwardProcess;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * Pictures of diffusion: the forward process as a strip (one image noised at t = 0 … T, q(x_t |
 * x_0) of Ho et al. 2020) and the reverse trajectory as GIF frames and a strip of x_t over the
 * current estimate x̂_0 = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t.
 */
public final class Trajectories {

    private Trajectories() {}

    /**
     * Noises one image to {@code frames} evenly spaced steps from 0 (clean) to T − 1.
     *
     * @param schedule the schedule
     * @param image (1, C, H, W) in [−1, 1]
     * @param frames how many columns
     * @param scale pixel scale
     * @return the strip
     */
    public static BufferedImage forwardStrip(
            NoiseSchedule schedule, NDArray image, int frames, int scale) {
        NDManager m = image.getManager();
        NDList cols = new NDList();
        List<String> labels = new ArrayList<>();
        NDArray eps = m.randomNormal(image.getShape());
        for (int i = 0; i < frames; i++) {
            int t =
                    i == 0
                            ? -1
                            : (int) Math.round((schedule.steps() - 1) * i / (double) (frames - 1));
            cols.add(ForwardProcess.sample(schedule, image, t, eps).clip(-1f, 1f));
            labels.add("t=" + (t + 1));
        }
        return SampleGrid.builder()
                .setImages(NDArrays.concat(cols, 0))
                .optColumns(frames)
                .optScale(scale)
                .optColumnLabels(labels)
                .build()
                .render();
    }

    /**
     * Moves one image along the straight path of flow matching, x_s = (1 − s) x_0 + s ε, at {@code
     * frames} evenly spaced s from 0 (clean) to 1 (noise).
     *
     * @param image (1, C, H, W) in [−1, 1]
     * @param frames how many columns
     * @param scale pixel scale
     * @return the strip
     */
    public static BufferedImage flowStrip(NDArray image, int frames, int scale) {
        NDManager m = image.getManager();
        NDList cols = new NDList();
        List<String> labels = new ArrayList<>();
        NDArray eps = m.randomNormal(image.getShape());
        for (int i = 0; i < frames; i++) {
            float s = i / (float) (frames - 1);
            cols.add(FlowPath.sample(image, m.create(new float[] {s}), eps).clip(-1f, 1f));
            labels.add(String.format(java.util.Locale.ROOT, "s=%.1f", s));
        }
        return SampleGrid.builder()
                .setImages(NDArrays.concat(cols, 0))
                .optColumns(frames)
                .optScale(scale)
                .optColumnLabels(labels)
                .build()
                .render();
    }

    /** Records every k-th reverse step as pictures (x_t next to x̂_0). */
    public static final class Recorder implements Sampler.Trajectory {
        private final int every;
        private final int columns;
        private final int scale;
        private final List<BufferedImage> frames = new ArrayList<>();
        private final List<BufferedImage> xt = new ArrayList<>();
        private final List<BufferedImage> x0 = new ArrayList<>();
        private final List<String> steps = new ArrayList<>();
        private int last = -1;
        private UnaryOperator<NDArray> decoder = x -> x;

        /**
         * Creates a recorder.
         *
         * @param every keep one step in this many (and always the last, t = 0)
         * @param columns grid columns of each frame
         * @param scale pixel scale
         */
        public Recorder(int every, int columns, int scale) {
            this.every = Math.max(1, every);
            this.columns = columns;
            this.scale = scale;
        }

        /**
         * Also keeps the step with this index (the sampler's last, when it does not end at t = 0,
         * as a flow sampler's).
         *
         * @param index the index into the sampler's timesteps
         * @return this
         */
        public Recorder optLastStep(int index) {
            this.last = index;
            return this;
        }

        /**
         * Decodes each kept step before drawing it (a latent model's autoencoder).
         *
         * @param decoder latents → images
         * @return this
         */
        public Recorder optDecoder(UnaryOperator<NDArray> decoder) {
            this.decoder = decoder;
            return this;
        }

        @Override
        public void onStep(int i, int t, NDArray next, NDArray estimate) {
            if (i % every != 0 && t != 0 && i != last) {
                return;
            }
            NDArray a = decoder.apply(next).clip(-1f, 1f);
            NDArray b = decoder.apply(estimate).clip(-1f, 1f);
            frames.add(
                    SampleGrid.builder()
                            .setImages(a)
                            .optColumns(columns)
                            .optScale(scale)
                            .build()
                            .render());
            xt.add(ImageTensors.toImages(a.get("0:1")).get(0));
            x0.add(ImageTensors.toImages(b.get("0:1")).get(0));
            steps.add("t=" + t);
        }

        /**
         * Returns the GIF frames (the whole batch at each kept step).
         *
         * @return the frames
         */
        public List<BufferedImage> frames() {
            return frames;
        }

        /**
         * Returns a strip for the first sample: row 1 x_t, row 2 x̂_0, one column per kept step.
         *
         * @return the strip
         */
        public BufferedImage strip() {
            List<BufferedImage> all = new ArrayList<>(xt);
            all.addAll(x0);
            return SampleGrid.builder()
                    .setImages(all)
                    .optColumns(xt.size())
                    .optScale(scale)
                    .optRowLabels(List.of("x_t", "x̂_0"))
                    .build()
                    .render();
        }
    }
}
