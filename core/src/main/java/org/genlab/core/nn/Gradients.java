package org.genlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Scales all gradients of a network so that their global L2 norm is at most {@code maxNorm} (Ho
     * et al. 2020 clip at 1), on the device, without a host sync:
     *
     * <pre>
     *   g ← g · maxNorm / max(‖g‖, maxNorm)
     * </pre>
     *
     * @param block the network
     * @param maxNorm the largest allowed norm
     */
    public static void clipNorm(Block block, float maxNorm) {
        List<NDArray> grads = new ArrayList<>();
        for (Parameter p : Params.named(block).values()) {
            if (p.requiresGradient() && p.getArray().hasGradient()) {
                grads.add(p.getArray().getGradient());
            }
        }
        if (grads.isEmpty()) {
            return;
        }
        // DJL puts an op's result in its first operand's manager, here the parameters': work in
        // a sub-manager closed at the end, else every step leaves two arrays per parameter there
        try (NDManager tmp = NDManager.subManagerOf(grads.get(0))) {
            NDList squares = new NDList();
            for (NDArray g : grads) {
                g.attach(tmp);
                squares.add(g.square().sum().reshape(1));
            }
            NDArray norm = NDArrays.concat(squares).sum().sqrt();
            NDArray scale = norm.maximum(maxNorm).pow(-1).mul(maxNorm);
            for (NDArray g : grads) {
                g.muli(scale);
            }
        }
    }
}
