package org.genlab.text.clip;

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

/**
 * CLIP's image tower, shrunk to MNIST and CIFAR-10 sizes: a small CNN and a global mean (Radford et
 * al. 2021 use a ResNet or a ViT; the contrastive objective does not care which).
 *
 * <pre>
 *   state size: (B, C, H, W)
 *   conv 3×3, c, SiLU                 → (B, c, H, W)        c = 32 by default
 *   conv 3×3, 2c, stride 2, SiLU      → (B, 2c, H/2, W/2)
 *   conv 3×3, 4c, stride 2, SiLU      → (B, 4c, H/4, W/4)
 *   mean over the pixels              → (B, 4c)
 *   linear                            → (B, D)
 * </pre>
 */
public final class ImageEncoder extends LazyBlock {

    private final int dim;
    private final Block conv1;
    private final Block conv2;
    private final Block conv3;
    private final Block head;

    /**
     * Creates the encoder.
     *
     * @param channels c, the first convolution's channels
     * @param dim D, the feature width
     */
    public ImageEncoder(int channels, int dim) {
        this.dim = dim;
        conv1 = addChildBlock("conv1", conv(channels, 1));
        conv2 = addChildBlock("conv2", conv(2 * channels, 2));
        conv3 = addChildBlock("conv3", conv(4 * channels, 2));
        head = addChildBlock("head", Linear.builder().setUnits(dim).build());
    }

    private static Block conv(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = Scalars.silu(Children.call(conv1, ps, training, x));
        h = Scalars.silu(Children.call(conv2, ps, training, h));
        h = Scalars.silu(Children.call(conv3, ps, training, h));
        // global mean, one axis at a time (PyTorch's multi-axis mean is not in DJL's engine)
        h = h.mean(new int[] {3}).mean(new int[] {2});
        return new NDList(Children.call(head, ps, training, h));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
