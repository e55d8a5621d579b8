package org.genlab.gan.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A 2D convolution whose kernel is divided by its spectral norm ({@link SpectralNorm}, Miyato et
 * al. 2018) at every forward pass: y = conv(x, W / σ(W)) + b.
 *
 * <pre>{@code
 * SnConv2d conv = SnConv2d.builder().setFilters(64).setKernel(4).optStride(2).optPadding(1).build();
 * }</pre>
 */
public final class SnConv2d extends AbstractBlock {

    private final int filters;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;

    private SnConv2d(Builder b) {
        filters = b.filters;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(filters))
                                .build());
        u =
                addParameter(
                        Parameter.builder()
                                .setName("u")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(filters))
                                .optInitializer(new NormalInitializer(1f))
                                .optRequiresGrad(false)
                                .build());
    }

    /**
     * Creates a builder.
     *
     * @return a builder (stride 1, padding 0)
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(filters, inputShapes[0].get(1), kernel, kernel));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        var w = ps.getValue(weight, x.getDevice(), training);
        var b = ps.getValue(bias, x.getDevice(), training);
        var uArr = ps.getValue(u, x.getDevice(), training);
        var wsn = SpectralNorm.normalize(w, uArr, training, x.getManager());
        return Conv2d.conv2d(
                x,
                wsn,
                b,
                new Shape(stride, stride),
                new Shape(padding, padding),
                new Shape(1, 1),
                1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), filters, h, w)};
    }

    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {}

    /** Builds an {@link SnConv2d}. */
    public static final class Builder {
        private int filters;
        private int kernel = 3;
        private int stride = 1;
        private int padding;

        Builder() {}

        /**
         * Sets the number of output channels.
         *
         * @param filters output channels
         * @return this builder
         */
        public Builder setFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /**
         * Sets the (square) kernel size.
         *
         * @param kernel e.g. 4
         * @return this builder
         */
        public Builder setKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * Sets the stride.
         *
         * @param stride e.g. 2 to halve the resolution
         * @return this builder
         */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /**
         * Sets the zero padding.
         *
         * @param padding pixels on each side
         * @return this builder
         */
        public Builder optPadding(int padding) {
            this.padding = padding;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public SnConv2d build() {
            if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
                throw new org.genlab.core.GenLabException(
                        "SnConv2d needs filters >= 1, kernel >= 1, stride >= 1, padding >= 0.");
            }
            return new SnConv2d(this);
        }
    }
}
