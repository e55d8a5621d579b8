package org.genlab.autoregressive.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.genlab.core.GenLabException;

/**
 * The next-token cross-entropy an autoregressive model is trained with: the negative log-likelihood
 * of each image token given the condition and the tokens before it, averaged over the batch and the
 * N positions (Ramesh et al. 2021, §2.2, the image-token term):
 *
 * <pre>
 *   L = −(1 / B·N) Σ_b Σ_i log softmax(ℓ_{b,i})[z_{b,i}]
 * </pre>
 *
 * Its value is in nats per token: log K for a model that knows nothing (4.85 for K = 128), 0 for
 * one that always names the right code.
 */
public final class NextTokenLoss {

    private NextTokenLoss() {}

    /**
     * Computes L.
     *
     * @param logits (B, N, K) logits ℓ, row i predicting z_i
     * @param targets (B, N) or (B, h, w) integer image tokens z
     * @return the scalar mean cross-entropy
     */
    public static NDArray apply(NDArray logits, NDArray targets) {
        long b = logits.getShape().get(0);
        long n = logits.getShape().get(1);
        int k = (int) logits.getShape().get(2);
        NDArray z = targets.toType(DataType.INT64, false).reshape(b, -1);
        if (z.getShape().get(1) != n) {
            throw new GenLabException(
                    "NextTokenLoss: "
                            + n
                            + " positions of logits but "
                            + z.getShape().get(1)
                            + " target tokens per sequence.");
        }
        // log softmax(ℓ)[z] via a one-hot mask of the targets
        NDArray logp = logits.logSoftmax(2);
        NDArray picked = logp.mul(z.oneHot(k)).sum(new int[] {2});
        // L = −mean_{b,i} log p(z_i | c, z_<i)
        return picked.mean().neg();
    }
}
