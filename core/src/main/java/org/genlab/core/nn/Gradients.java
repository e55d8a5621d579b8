package org.genlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/**
 * Zeroes gradients, as PyTorch's {@code optimizer.zero_grad()} does.
 *
 * <p>Gradients accumulate across backward passes, and nothing in DJL clears them when a gradient
 * collector opens: call {@link #zero(Block...)} at the start of every step, for every network the
 * step's backward pass reaches (in a GAN, the generator's step also fills the discriminator's
 * gradients). DJL's own {@code GradientCollector.zeroGradients()} does the same for every array in
 * the process but leaves two native handles behind per parameter per call: over a long run that
 * leak makes each step slower. This version closes what it opens.
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
