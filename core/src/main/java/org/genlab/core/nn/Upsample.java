package org.genlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Nearest-neighbour upsampling by 2 of (N, C, H, W) feature maps: every pixel becomes a 2×2 block.
 * It is the "resize" of the resize-convolution that GenLab's generators and UNets use instead of
 * transposed convolutions (Odena, Dumoulin &amp; Olah, "Deconvolution and Checkerboard Artifacts",
 * Distill 2016).
 *
 * <p>Why not {@code x.repeat(2, 2).repeat(3, 2)}: it gives the same values, but libtorch implements
 * a repeat as expand + copy, and its backward pass as a sum over a strided axis, which is slow on
 * the CPU: in a DCGAN training step on MNIST (batch 64, one thread) the two repeats' backward took
 * ≈ 100 ms of a 480 ms step, against ≈ 20 ms for PyTorch's upsampling kernel ({@code
 * upsample_nearest2d}, which {@code nn.Upsample} uses). On the PyTorch engine this calls that
 * kernel; on other engines it falls back to the repeats.
 */
public final class Upsample {

    private Upsample() {}

    /**
     * Doubles the height and width by repeating each pixel.
     *
     * @param x (N, C, H, W)
     * @return (N, C, 2H, 2W), in x's manager
     */
    public static NDArray nearest2x(NDArray x) {
        if (x instanceof PtNDArray) {
            long[] s = x.getShape().getShape();
            // mode 0 = nearest (DJL's interpolation codes)
            return JniUtils.interpolate((PtNDArray) x, new long[] {2 * s[2], 2 * s[3]}, 0, false);
        }
        return x.repeat(2, 2).repeat(3, 2);
    }
}
