package org.genlab.autoencoder.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;
import org.genlab.core.nn.Upsample;

/**
 * The decoder of GenLab's autoencoders, the {@link Encoder} mirrored: a latent z of c × h × w
 * becomes an image 4× larger. It doubles the resolution by nearest-neighbour upsampling followed by
 * a convolution (the resize-convolution of Odena, Dumoulin &amp; Olah, Distill 2016: no
 * checkerboard artifacts, and DJL's PyTorch engine has no transposed convolution). Notation: W =
 * {@code width}, C = the image channels.
 *
 * <pre>
 *   h = conv3×3(z)                         state size (2W, h, w)
 *   h = h + conv3×3(SiLU(h))               (2W, h, w)        residual
 *   h = conv3×3(up×2(SiLU(h)))             (W, 2h, 2w)       resize-convolution
 *   h = h + conv3×3(SiLU(h))               (W, 2h, 2w)
 *   h = conv3×3(up×2(SiLU(h)))             (W/2, 4h, 4w)
 *   x̂ = conv3×3(SiLU(h))                   (C, 4h, 4w)
 * </pre>
 *
 * <p>The output is linear, as in Rombach et al.'s decoders, not squashed by tanh: images lie in
 * [-1, 1] and {@code LatentSpace.decode} clips to that range. With a tanh output this network
 * (without normalisation layers) learnt in its first few steps to paint every pixel black — MNIST
 * is 80 % background — drove tanh into saturation, where it passes no gradient, and stayed there
 * (reconstruction MSE stuck at 0.44, measured with learning rates 3·10⁻⁴ to 2·10⁻³).
 */
public final class Decoder extends LazyBlock {

    private final Block convIn;
    private final Block res1;
    private final Block up1;
    private final Block res2;
    private final Block up2;
    private final Block convOut;

    /**
     * Creates the decoder.
     *
     * @param width W, the channels at half resolution (even, ≥ 2)
     * @param imageChannels C, 1 for MNIST or 3 for CIFAR-10
     */
    public Decoder(int width, int imageChannels) {
        convIn = addChildBlock("convIn", Encoder.conv3x3(2 * width, 1));
        res1 = addChildBlock("res1", Encoder.conv3x3(2 * width, 1));
        up1 = addChildBlock("up1", Encoder.conv3x3(width, 1));
        res2 = addChildBlock("res2", Encoder.conv3x3(width, 1));
        up2 = addChildBlock("up2", Encoder.conv3x3(width / 2, 1));
        convOut = addChildBlock("convOut", Encoder.conv3x3(imageChannels, 1));
        // a small last layer: x̂ starts near 0 instead of at ±5 (Xavier weights on MNIST's mostly
        // black images), so the first steps learn shapes rather than undo a large offset
        convOut.setInitializer(new NormalInitializer(1e-3f), Parameter.Type.WEIGHT);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        // (2W, h, w), then a residual convolution
        NDArray h = Children.call(convIn, ps, training, z);
        h = h.add(Children.call(res1, ps, training, Scalars.silu(h)));
        // (W, 2h, 2w): upsample, then convolve
        h = Children.call(up1, ps, training, Upsample.nearest2x(Scalars.silu(h)));
        h = h.add(Children.call(res2, ps, training, Scalars.silu(h)));
        // (W/2, 4h, 4w)
        h = Children.call(up2, ps, training, Upsample.nearest2x(Scalars.silu(h)));
        // x̂ = conv(SiLU(h)), linear (clipped to [-1, 1] by LatentSpace.decode)
        return new NDList(Children.call(convOut, ps, training, Scalars.silu(h)));
    }
}
