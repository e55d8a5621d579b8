package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import org.genlab.core.nn.Params;

/**
 * Zeroes the gradients of given networks (PyTorch's {@code zero_grad()}), the first thing each
 * step's gradient collector does.
 *
 * <p>Why not {@code GradientCollector.zeroGradients()}: DJL's version walks every array of the
 * process and takes two new gradient handles per parameter that it never closes, so the networks'
 * manager grows by two arrays per parameter per call and each later call walks a longer list (the
 * steps of a GAN slowed from milliseconds to seconds). This one touches only the given networks and
 * closes the handles.
 */
public final class Gradients {

    private Gradients() {}

    /**
     * Sets the gradient of every trainable parameter of the networks to zero.
     *
     * @param blocks the networks
     */
    public static void zero(Block... blocks) {
        for (Block b : blocks) {
            for (Parameter p : Params.named(b).values()) {
                NDArray w = p.getArray();
                if (p.requiresGradient() && w.hasGradient()) {
                    try (NDArray g = w.getGradient()) {
                        g.subi(g);
                    }
                }
            }
        }
    }
}
