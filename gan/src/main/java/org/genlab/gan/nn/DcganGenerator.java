package org.genlab.gan.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Upsample;

/**
 * The DCGAN generator (Radford, Metz &amp; Chintala, "Unsupervised Representation Learning with
 * Deep Convolutional Generative Adversarial Networks", ICLR 2016), with BatchNorm and ReLU in every
 * hidden layer, tanh at the output and weights drawn from N(0, 0.02).
 *
 * <p>Where the paper uses transposed ("fractionally strided") convolutions, this generator doubles
 * the resolution by nearest-neighbour upsampling and then convolves: the
 * <em>resize-convolution</em> of Odena, Dumoulin &amp; Olah ("Deconvolution and Checkerboard
 * Artifacts", Distill 2016). It avoids checkerboard artifacts, and DJL's PyTorch engine has no
 * transposed convolution. Its builder makes a {@link Generator} with this body.
 *
 * <pre>
 *   z → Linear → BN → ReLU → reshape (4w, s, s)          s = 7 for 28×28, 4 for 32×32
 *     → [upsample ×2 → conv 3×3 → BN → ReLU] …            channels halve each time
 *     → upsample ×2 → conv 3×3 → tanh                     (C, H, W)
 * </pre>
 *
 * <pre>{@code
 * Generator g = DcganGenerator.builder().setImageShape(1, 28, 28).optWidth(64).build();
 * }</pre>
 */
public final class DcganGenerator {

    private DcganGenerator() {}

    /**
     * Returns how many times a DCGAN doubles (G) or halves (D) the resolution for an image side:
     * the largest k with side / 2^k a whole number of at least 4.
     *
     * @param side the image side, e.g. 28 or 32
     * @return k (2 for 28, 3 for 32)
     */
    static int doublings(int side) {
        int k = 0;
        while (side % (1 << (k + 1)) == 0 && side / (1 << (k + 1)) >= 4) {
            k++;
        }
        return k;
    }

    private static SequentialBlock body(Builder b) {
        int k = doublings(b.size);
        int base = b.size >> k;
        int channels = b.width << (k - 1);
        SequentialBlock s = new SequentialBlock();
        s.add(Linear.builder().setUnits((long) channels * base * base).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
        final int c0 = channels;
        s.add(x -> new ai.djl.ndarray.NDList(x.singletonOrThrow().reshape(-1, c0, base, base)));
        for (int i = 0; i < k - 1; i++) {
            channels /= 2;
            s.add(DcganGenerator::upsample)
                    .add(conv3(channels))
                    .add(BatchNorm.builder().build())
                    .add(Activation::relu);
        }
        s.add(DcganGenerator::upsample).add(conv3(b.channels)).add(Activation::tanh);
        return s;
    }

    private static Conv2d conv3(int filters) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .build();
    }

    /**
     * Doubles the height and width by repeating each pixel (nearest-neighbour upsampling).
     *
     * @param x (N, C, H, W)
     * @return (N, C, 2H, 2W)
     */
    static ai.djl.ndarray.NDList upsample(ai.djl.ndarray.NDList x) {
        return new ai.djl.ndarray.NDList(Upsample.nearest2x(x.singletonOrThrow()));
    }

    /**
     * Creates a builder.
     *
     * @return a builder: latent 100, width 64, unconditional
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the DCGAN generator. */
    public static final class Builder {
        private int channels;
        private int size;
        private int latentDim = 100;
        private int width = 64;
        private int numClasses;
        private int embedDim = 32;

        Builder() {}

        /**
         * Sets the image shape.
         *
         * @param channels 1 (MNIST) or 3 (CIFAR-10)
         * @param height the height, e.g. 28 or 32
         * @param width the width, equal to the height
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
         * Sets the size of z.
         *
         * @param latentDim the latent dimension (default 100, as in the paper)
         * @return this builder
         */
        public Builder optLatentDim(int latentDim) {
            this.latentDim = latentDim;
            return this;
        }

        /**
         * Sets the width: the channels of the last hidden layer (earlier layers have 2×, 4×…).
         *
         * @param width base channels (default 64)
         * @return this builder
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Makes the generator conditional.
         *
         * @param numClasses the number of classes (default 0)
         * @return this builder
         */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets the size of the class embedding concatenated with z.
         *
         * @param embedDim embedding size (default 32)
         * @return this builder
         */
        public Builder optEmbedDim(int embedDim) {
            this.embedDim = embedDim;
            return this;
        }

        /**
         * Builds the generator (uninitialised), with weights drawn from N(0, 0.02).
         *
         * @return the generator
         */
        public Generator build() {
            if (size < 8 || doublings(size) < 1 || (channels != 1 && channels != 3)) {
                throw new GenLabException(
                        "DCGAN needs 1 or 3 channels and a side divisible by 2 with a quotient of"
                                + " at least 4 (e.g. 28 or 32); got "
                                + channels
                                + "×"
                                + size
                                + "×"
                                + size
                                + ".");
            }
            if (latentDim < 1 || width < 1 || numClasses < 0) {
                throw new GenLabException("latentDim and width must be >= 1, numClasses >= 0.");
            }
            return Generator.builder()
                    .setBody(body(this))
                    .setLatentDim(latentDim)
                    .setSampleShape(new Shape(channels, size, size))
                    .optNumClasses(numClasses)
                    .optEmbedDim(embedDim)
                    .optInitializer(new NormalInitializer(0.02f))
                    .build();
        }
    }
}
