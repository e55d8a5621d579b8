package org.genlab.gan.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Spectral normalisation (Miyato, Kataoka, Koyama &amp; Yoshida, "Spectral Normalization for
 * Generative Adversarial Networks", ICLR 2018): divides a weight by its largest singular value so
 * that the layer is 1-Lipschitz.
 *
 * <p>The weight W is viewed as a matrix (out, in·k·k). One step of power iteration per training
 * forward pass refines the estimate of its first singular vectors, starting from the u kept from
 * the previous pass:
 *
 * <pre>
 *   v ← Wᵀu / ‖Wᵀu‖      u ← W v / ‖W v‖      σ(W) ≈ uᵀ W v      W_SN = W / σ(W)
 * </pre>
 *
 * u and v are constants for the gradient (as in the paper and PyTorch): only σ's dependence on W
 * through the last product is differentiated.
 */
public final class SpectralNorm {

    private static final float EPS = 1e-12f;

    private SpectralNorm() {}

    /**
     * Returns W / σ(W), updating the stored u in place when training.
     *
     * @param weight the raw weight, any shape whose first axis is the output
     * @param u the stored left singular vector estimate, shape (out), not trainable
     * @param training true to run one power iteration and store the new u
     * @param manager where the result and the intermediates live: the forward pass's manager (DJL
     *     puts an op's result in its first operand's manager, here the parameters', which would
     *     keep every pass's arrays until the network is closed)
     * @return the normalised weight, same shape as {@code weight}
     */
    public static NDArray normalize(
            NDArray weight, NDArray u, boolean training, NDManager manager) {
        long out = weight.getShape().get(0);
        NDArray w = weight.reshape(out, -1);
        w.attach(manager);
        NDArray wConst = w.stopGradient();
        NDArray uCur = u.stopGradient();
        uCur.attach(manager);
        NDArray v = l2normalize(wConst.transpose().matMul(uCur));
        if (training) {
            uCur = l2normalize(wConst.matMul(v));
            u.set(new NDIndex(":"), uCur);
        }
        // σ = uᵀ W v, differentiable in W
        NDArray sigma = uCur.matMul(w.matMul(v));
        NDArray normalized = weight.div(sigma);
        normalized.attach(manager);
        return normalized;
    }

    private static NDArray l2normalize(NDArray x) {
        return x.div(x.square().sum().sqrt().add(EPS));
    }
}
