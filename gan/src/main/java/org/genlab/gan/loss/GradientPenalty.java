package org.genlab.gan.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Params;
import org.genlab.gan.nn.Discriminator;

/**
 * The gradient penalty of WGAN-GP (Gulrajani, Ahmed, Arjovsky, Dumoulin &amp; Courville, "Improved
 * Training of Wasserstein GANs", NeurIPS 2017):
 *
 * <pre>
 *   x̂ = ε x + (1 − ε) x̃,   ε ~ U[0, 1] per sample
 *   GP = E[(‖∇ₓ̂ D(x̂)‖₂ − 1)²]
 * </pre>
 *
 * <p>The penalty is itself a function of a gradient, and D's weights must receive the gradient of
 * that gradient ("double backprop"). DJL's {@code GradientCollector.backward} never builds the
 * graph of a gradient, so this class — the only engine-specific code in GenLab's GAN module — calls
 * the PyTorch engine's {@code JniUtils.backward(target, grad, keepGraph=true, createGraph=true)}
 * directly. That first backward also adds ∂ΣD(x̂)/∂θ to D's parameter gradients, which is not part
 * of the loss, so they are zeroed right after it.
 *
 * <p><b>Known leak.</b> With {@code createGraph=true} every leaf reached (x̂ and D's weights) gets
 * a gradient that holds the graph that made it, and that graph holds the leaf: a reference cycle
 * that PyTorch frees only when {@code .grad} is reset to {@code None}, or avoids with {@code
 * torch.autograd.grad}. DJL 0.36 exposes neither (its TorchScript path returns tensors without
 * autograd history, and zeroing a gradient keeps its graph), so about one D forward pass of memory
 * stays behind per step: 8 MB per step for the MNIST DCGAN at batch 32, measured. Stand-in weights
 * and switching the weights' {@code requires_grad} off during the first backward cut it by only a
 * third, so the exact double backprop is kept; use WGAN-GP for short runs.
 *
 * <p>Call it inside the D step's open gradient collector, then add λ·GP to D's loss before {@code
 * gc.backward}.
 */
public final class GradientPenalty {

    private GradientPenalty() {}

    /**
     * Draws the random interpolates x̂ between real and generated samples.
     *
     * @param real real samples (N, ...)
     * @param fake generated samples (N, ...), gradient stopped
     * @return x̂, with the same shape
     */
    public static NDArray interpolate(NDArray real, NDArray fake) {
        NDManager m = real.getManager();
        Shape s = real.getShape();
        long[] eShape = new long[s.dimension()];
        java.util.Arrays.fill(eShape, 1);
        eShape[0] = s.get(0);
        NDArray eps =
                m.randomUniform(0f, 1f, new Shape(eShape), real.getDataType(), real.getDevice());
        return real.stopGradient().mul(eps).add(fake.stopGradient().mul(eps.neg().add(1)));
    }

    /**
     * Computes GP at the given points, differentiably in D's parameters.
     *
     * @param d the critic
     * @param ps the parameter store
     * @param xHat the points (N, ...), e.g. from {@link #interpolate}
     * @param labels class labels for a conditional critic, or null
     * @return the scalar E[(‖∇D(x̂)‖₂ − 1)²]
     */
    public static NDArray penalty(
            Discriminator d, ParameterStore ps, NDArray xHat, NDArray labels) {
        return gradientNorms(d, ps, xHat, labels).sub(1).square().mean();
    }

    /**
     * Computes the per-sample gradient norms ‖∇ₓ D(x)‖₂, differentiably in D's parameters. Must be
     * called with a gradient collector open.
     *
     * @param d the critic
     * @param ps the parameter store
     * @param x the points (N, ...)
     * @param labels class labels for a conditional critic, or null
     * @return the norms, shape (N)
     */
    public static NDArray gradientNorms(
            Discriminator d, ParameterStore ps, NDArray x, NDArray labels) {
        if (!(x instanceof PtNDArray)) {
            throw new GenLabException(
                    "The WGAN-GP gradient penalty needs the PyTorch engine (double backprop); got "
                            + x.getManager().getEngine().getEngineName()
                            + ".");
        }
        NDArray leaf = x.stopGradient().duplicate();
        leaf.setRequiresGradient(true);
        NDArray out = d.logits(ps, leaf, labels, true).sum();
        NDArray ones = out.onesLike();
        JniUtils.backward((PtNDArray) out, (PtNDArray) ones, true, true);
        // a copy that keeps its graph, so later accumulation into leaf.grad cannot alter it
        NDArray grad = leaf.getGradient();
        for (Parameter p : Params.named(d).values()) {
            if (p.requiresGradient() && p.getArray().hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p.getArray());
            }
        }
        long n = grad.getShape().get(0);
        return grad.reshape(n, -1).square().sum(new int[] {1}).add(1e-12f).sqrt();
    }
}
