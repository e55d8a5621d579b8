package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * The residual block of the DDPM UNet (Ho et al. 2020, after Wide ResNets): the step embedding is
 * projected and added to every pixel between the two convolutions.
 *
 * <pre>
 *   h = Conv(SiLU(GN(x)));  h = h + Linear(SiLU(emb));  h = Conv(Dropout(SiLU(GN(h))))
 *   y = skip(x) + h            (skip = 1×1 conv when the channel count changes)
 * </pre>
 *
 * Inputs: {@code (x (B, C_in, H, W), emb (B, E))}; output (B, C_out, H, W). It initialises itself
 * from its input shapes (a {@link LazyBlock}), so it can be used alone:
 *
 * <pre>{@code
 * ResidualBlock res = new ResidualBlock(16, 32, 8, 0f);
 * res.initialize(manager, DataType.FLOAT32, new Shape(2, 16, 14, 14), new Shape(2, 128));
 * }</pre>
 */
public final class ResidualBlock extends LazyBlock {

    private final int outChannels;
    private final Block norm1;
    private final Block conv1;
    private final Block embProj;
    private final Block norm2;
    private final Block dropout;
    private final Block conv2;
    private final Block skip;

    /**
     * Creates the block.
     *
     * @param inChannels C_in
     * @param outChannels C_out
     * @param groups GroupNorm groups
     * @param dropoutRate dropout before the second convolution (0 for none)
     */
    public ResidualBlock(int inChannels, int outChannels, int groups, float dropoutRate) {
        this.outChannels = outChannels;
        norm1 = addChildBlock("norm1", new GroupNorm(groups));
        conv1 = addChildBlock("conv1", conv3x3(outChannels));
        embProj = addChildBlock("emb", Linear.builder().setUnits(outChannels).build());
        norm2 = addChildBlock("norm2", new GroupNorm(groups));
        dropout =
                dropoutRate > 0
                        ? addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build())
                        : null;
        conv2 = addChildBlock("conv2", conv3x3(outChannels));
        skip =
                inChannels == outChannels
                        ? null
                        : addChildBlock(
                                "skip",
                                Conv2d.builder()
                                        .setKernelShape(new Shape(1, 1))
                                        .setFilters(outChannels)
                                        .build());
    }

    static Conv2d conv3x3(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray emb = inputs.get(1);
        // h = Conv(SiLU(GN(x)))
        NDArray h =
                Children.call(
                        conv1, ps, training, Scalars.silu(Children.call(norm1, ps, training, x)));
        // h = h + Linear(SiLU(emb)), the same vector added to every pixel
        NDArray e = Children.call(embProj, ps, training, Scalars.silu(emb));
        h = h.add(e.reshape(e.getShape().get(0), outChannels, 1, 1));
        // h = Conv(Dropout(SiLU(GN(h))))
        h = Scalars.silu(Children.call(norm2, ps, training, h));
        if (dropout != null) {
            h = Children.call(dropout, ps, training, h);
        }
        h = Children.call(conv2, ps, training, h);
        // y = skip(x) + h
        NDArray s = skip == null ? x : Children.call(skip, ps, training, x);
        return new NDList(s.add(h));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }
}
