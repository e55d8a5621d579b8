package org.genlab.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * Tensor-times-number arithmetic that is safe inside a gradient collector.
 *
 * <p>Why this exists: DJL's PyTorch engine implements {@code x.mul(2f)}, {@code x.div(2f)} and
 * {@code x.pow(2f)} by wrapping the number in a 0-d tensor that <i>borrows</i> a Java direct
 * buffer, calling the tensor op, and closing the wrapper at once. PyTorch's autograd keeps that 0-d
 * tensor for the backward pass (the gradient of {@code x·s} is {@code s}), so between the forward
 * and the backward pass it points at Java memory that nothing references any more. When a garbage
 * collection frees that buffer in between, the backward pass multiplies by whatever the memory now
 * holds, and training turns to NaN after a few dozen steps, at random, more often with a small
 * heap. DJL's {@code Activation.swish} (SiLU) does {@code x.mul(β)} and has the same flaw.
 *
 * <p>The methods here create the number as a tensor in the operand's manager and leave it there, so
 * it lives until the step's manager closes, after the backward pass. Use them on every tensor that
 * may require a gradient; on plain tensors (sampling, logging) the DJL methods are fine.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * Returns x · s.
     *
     * @param x the tensor
     * @param s the number
     * @return x · s, in x's manager
     */
    public static NDArray mul(NDArray x, float s) {
        return x.mul(scalar(x, s));
    }

    /**
     * Returns x / s.
     *
     * @param x the tensor
     * @param s the number
     * @return x / s, in x's manager
     */
    public static NDArray div(NDArray x, float s) {
        return x.div(scalar(x, s));
    }

    /**
     * SiLU(x) = x · σ(x) (Hendrycks &amp; Gimpel 2016; Ramachandran et al. 2017 call it swish with
     * β = 1), without DJL's borrowed β.
     *
     * @param x the tensor
     * @return x · σ(x)
     */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /**
     * Makes a 0-d tensor of x's type on x's device that lives as long as x's manager.
     *
     * @param x the tensor whose manager, type and device to use
     * @param s the value
     * @return the 0-d tensor
     */
    public static NDArray scalar(NDArray x, float s) {
        return x.getManager().create(s).toType(x.getDataType(), false);
    }
}
