package coursework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;
import org.genlab.diffusion.nn.TimeEmbedding;

/**
 * My denoiser ε_θ(x_t, t): four 3×3 convolutions at full resolution, with the step t fed in as a
 * sinusoidal embedding added to every feature map (as Ho et al. 2020 do in each residual block).
 * No down-sampling: a deliberately small network, to compare with GenLab's UNet.
 */
final class TinyDenoiser extends LazyBlock {

    private final int width;
    private final Block time;
    private final Block conv1;
    private final Block conv2;
    private final Block conv3;
    private final Block conv4;

    TinyDenoiser(int width) {
        this.width = width;
        time = addChildBlock("time", Linear.builder().setUnits(width).build());
        conv1 = addChildBlock("conv1", conv(width));
        conv2 = addChildBlock("conv2", conv(width));
        conv3 = addChildBlock("conv3", conv(width));
        conv4 = addChildBlock("conv4", conv(1));
    }

    private static Block conv(int channels) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(channels).build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // x_t (B, 1, 28, 28)
        NDArray t = inputs.get(1); // t (B), float
        // e(t) = W · sinusoidal(t), one value per channel, broadcast over the pixels
        NDArray e = Children.call(time, ps, training, TimeEmbedding.sinusoidal(t, width))
                .reshape(-1, width, 1, 1);
        NDArray h = Scalars.silu(Children.call(conv1, ps, training, x).add(e));
        h = Scalars.silu(Children.call(conv2, ps, training, h).add(e));
        h = Scalars.silu(Children.call(conv3, ps, training, h).add(e));
        return new NDList(Children.call(conv4, ps, training, h)); // ε̂, shaped like x
    }
}
