package org.genlab.gan.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;
import org.genlab.core.GenLabException;

/**
 * The DCGAN discriminator (Radford et al. 2016): strided 4×4 convolutions that halve the
 * resolution, LeakyReLU with slope 0.2, no pooling, and a linear logit at the end.
 *
 * <pre>
 *   x (C, H, W) → conv 4×4 stride 2 → LeakyReLU 0.2                       (w, H/2, W/2)
 *     → [conv 4×4 stride 2 → (BN) → LeakyReLU 0.2] × (k − 1)             (2w, 4w, …)
 *     → flatten = φ(x) → Linear → logit
 * </pre>
 *
 * Channels double at each halving (w, 2w, 4w). Batch norm after every convolution but the first, as
 * in the paper, is switched by {@link Builder#optBatchNorm}: off in this builder by default, but on
 * in {@link org.genlab.gan.GanModels} and {@code genlab train gan} unless D is spectrally
 * normalised or trained with a gradient penalty. It must stay off for WGAN-GP, whose penalty is per
 * sample while batch norm couples the samples of a batch; spectral normalisation ({@link
 * Builder#optSpectralNorm}) is the modern way to keep D in check. Its builder makes a {@link
 * Discriminator} with this body.
 *
 * <pre>{@code
 * Discriminator d = DcganDiscriminator.builder().setImageShape(1, 28, 28)
 *     .optNumClasses(10).optSpectralNorm(true).build();
 * }</pre>
 */
public final class DcganDiscriminator {

    private DcganDiscriminator() {}

    private static SequentialBlock body(Builder b) {
        int k = DcganGenerator.doublings(b.size);
        SequentialBlock s = new SequentialBlock();
        for (int i = 0; i < k; i++) {
            int filters = b.width << i;
            Block conv =
                    b.spectralNorm
                            ? SnConv2d.builder()
                                    .setFilters(filters)
                                    .setKernel(4)
                                    .optStride(2)
                                    .optPadding(1)
                                    .build()
                            : Conv2d.builder()
                                    .setFilters(filters)
                                    .setKernelShape(new Shape(4, 4))
                                    .optStride(new Shape(2, 2))
                                    .optPadding(new Shape(1, 1))
                                    .build();
            s.add(conv);
            if (b.batchNorm && i > 0) {
                // Radford et al.: batch norm in every layer of D but its input layer
                s.add(BatchNorm.builder().build());
            }
            s.add(x -> Activation.leakyRelu(x, 0.2f));
        }
        s.add(Blocks.batchFlattenBlock());
        return s;
    }

    /**
     * Creates a builder.
     *
     * @return a builder: width 64, no spectral norm, unconditional
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the DCGAN discriminator. */
    public static final class Builder {
        private int channels;
        private int size;
        private int width = 64;
        private int numClasses;
        private boolean spectralNorm;
        private boolean batchNorm;

        Builder() {}

        /**
         * Sets the image shape.
         *
         * @param channels 1 or 3
         * @param height e.g. 28 or 32
         * @param width equal to the height
         * @return this builder
         */
        public Builder setImageShape(int channels, int height, int width) {
            if (height != width) {
                throw new GenLabException(
                        "DCGAN images must be square, got " + height + "×" + width);
            }
            this.channels = channels;
            this.size = height;
            return this;
        }

        /**
         * Sets the channels of the first layer (later layers have 2×, 4×…).
         *
         * @param width base channels (default 64)
         * @return this builder
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Makes the discriminator a projection discriminator.
         *
         * @param numClasses the number of classes (default 0)
         * @return this builder
         */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Applies spectral normalisation to every layer.
         *
         * @param spectralNorm true to normalise (default false)
         * @return this builder
         */
        public Builder optSpectralNorm(boolean spectralNorm) {
            this.spectralNorm = spectralNorm;
            return this;
        }

        /**
         * Adds batch normalisation after every convolution but the first, as in Radford et al. Do
         * not combine it with a gradient penalty (the penalty is per sample, batch norm mixes the
         * samples of a batch; Gulrajani et al. 2017, section 4).
         *
         * @param batchNorm true to normalise (default false)
         * @return this builder
         */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /**
         * Builds the discriminator (uninitialised), with weights drawn from N(0, 0.02).
         *
         * @return the discriminator
         */
        public Discriminator build() {
            if (size < 8
                    || DcganGenerator.doublings(size) < 1
                    || (channels != 1 && channels != 3)) {
                throw new GenLabException(
                        "DCGAN needs 1 or 3 channels and a side like 28 or 32; got "
                                + channels
                                + "×"
                                + size
                                + "×"
                                + size
                                + ".");
            }
            if (width < 1 || numClasses < 0) {
                throw new GenLabException("width must be >= 1 and numClasses >= 0.");
            }
            return Discriminator.builder()
                    .setBody(body(this))
                    .setSampleShape(new Shape(channels, size, size))
                    .optNumClasses(numClasses)
                    .optSpectralNorm(spectralNorm)
                    .optInitializer(new NormalInitializer(0.02f))
                    .build();
        }
    }
}
