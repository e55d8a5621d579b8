package org.genlab.autoencoder.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * The convolutional encoder of GenLab's autoencoders: it shrinks an image 4× in height and width (f
 * = 4 in Rombach et al. 2022's notation), 1×28×28 → 7×7 or 3×32×32 → 8×8, with two stride-2
 * convolutions and one residual convolution after each. Notation: W = {@code width}, C_h = the
 * channels the bottleneck needs (2c for the KL bottleneck: μ and log σ²).
 *
 * <pre>
 *   h = conv3×3(x)                        state size (W/2, H, W)
 *   h = conv3×3/2(SiLU(h))                (W, H/2, W/2)      downsample by a strided convolution
 *   h = h + conv3×3(SiLU(h))              (W, H/2, W/2)      residual
 *   h = conv3×3/2(SiLU(h))                (2W, H/4, W/4)
 *   h = h + conv3×3(SiLU(h))              (2W, H/4, W/4)
 *   h = conv3×3(SiLU(h))                  (C_h, H/4, W/4)
 * </pre>
 *
 * No normalisation layers: the network is small and trains well with Adam without them, and there
 * are no batch statistics to keep between training and encoding. The full-resolution layer is the
 * narrowest, since it costs the most per channel.
 */
public final class Encoder extends LazyBlock {

    private final Block convIn;
    private final Block down1;
    private final Block res1;
    private final Block down2;
    private final Block res2;
    private final Block convOut;

    /**
     * Creates the encoder.
     *
     * @param width W, the channels at half resolution (even, ≥ 2)
     * @param outChannels C_h, the channels the bottleneck reads
     */
    public Encoder(int width, int outChannels) {
        convIn = addChildBlock("convIn", conv3x3(width / 2, 1));
        down1 = addChildBlock("down1", conv3x3(width, 2));
        res1 = addChildBlock("res1", conv3x3(width, 1));
        down2 = addChildBlock("down2", conv3x3(2 * width, 2));
        res2 = addChildBlock("res2", conv3x3(2 * width, 1));
        convOut = addChildBlock("convOut", conv3x3(outChannels, 1));
    }

    /**
     * A 3×3 convolution with padding 1.
     *
     * @param filters output channels
     * @param stride 1, or 2 to halve the resolution
     * @return the convolution
     */
    static Conv2d conv3x3(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // (W/2, H, W)
        NDArray h = Children.call(convIn, ps, training, x);
        // (W, H/2, W/2), then a residual convolution
        h = Children.call(down1, ps, training, Scalars.silu(h));
        h = h.add(Children.call(res1, ps, training, Scalars.silu(h)));
        // (2W, H/4, W/4), then a residual convolution
        h = Children.call(down2, ps, training, Scalars.silu(h));
        h = h.add(Children.call(res2, ps, training, Scalars.silu(h)));
        // (C_h, H/4, W/4): the bottleneck's input (μ and log σ² for the KL bottleneck)
        return new NDList(Children.call(convOut, ps, training, Scalars.silu(h)));
    }
}
