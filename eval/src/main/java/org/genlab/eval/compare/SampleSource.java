package org.genlab.eval.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** One way of drawing images from a trained model: a GAN's generator, DDPM, DDIM with k steps. */
public interface SampleSource {

    /**
     * Names the sampler in tables and charts.
     *
     * @return e.g. {@code GAN}, {@code DDPM-1000}, {@code DDIM-50}
     */
    String label();

    /**
     * Draws images.
     *
     * @param manager where the images are created
     * @param n how many
     * @return {@code (n, C, H, W)} in [-1, 1]
     */
    NDArray sample(NDManager manager, int n);
}
