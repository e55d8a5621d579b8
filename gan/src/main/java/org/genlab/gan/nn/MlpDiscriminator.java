package org.genlab.gan.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;
import org.genlab.core.GenLabException;

/**
 * The fully connected discriminator of the original GAN (Goodfellow et al. 2014), with LeakyReLU
 * 0.2: x → flatten → [Linear → LeakyReLU] × layers = φ(x), then the logit ψ(φ(x)) (see {@link
 * Discriminator} for the projection term of a conditional model). Its builder makes a {@link
 * Discriminator} with this body.
 *
 * <pre>{@code
 * Discriminator d = MlpDiscriminator.builder().setSampleShape(new Shape(2)).build();
 * }</pre>
 */
public final class MlpDiscriminator {

    private MlpDiscriminator() {}

    private static SequentialBlock body(Builder b) {
        SequentialBlock s = new SequentialBlock();
        s.add(Blocks.batchFlattenBlock());
        for (int i = 0; i < b.layers; i++) {
            s.add(
                            b.spectralNorm
                                    ? new SnLinear(b.width)
                                    : Linear.builder().setUnits(b.width).build())
                    .add(x -> Activation.leakyRelu(x, 0.2f));
        }
        return s;
    }

    /**
     * Creates a builder.
     *
     * @return a builder: width 128, 2 hidden layers, no spectral norm, unconditional
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the MLP discriminator. */
    public static final class Builder {
        private Shape sampleShape;
        private int width = 128;
        private int layers = 2;
        private int numClasses;
        private boolean spectralNorm;

        Builder() {}

        /**
         * Sets the shape of one input sample.
         *
         * @param shape e.g. (2) or (1, 28, 28)
         * @return this builder
         */
        public Builder setSampleShape(Shape shape) {
            this.sampleShape = shape;
            return this;
        }

        /**
         * Sets the hidden width.
         *
         * @param width units per hidden layer (default 128)
         * @return this builder
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Sets the number of hidden layers.
         *
         * @param layers hidden layers (default 2)
         * @return this builder
         */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /**
         * Makes the discriminator a projection discriminator.
         *
         * @param numClasses the number of classes (default 0: unconditional)
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
         * Builds the discriminator (uninitialised), with Xavier-initialised weights.
         *
         * @return the discriminator
         */
        public Discriminator build() {
            if (sampleShape == null || width < 1 || layers < 1 || numClasses < 0) {
                throw new GenLabException(
                        "MlpDiscriminator needs a sample shape, width >= 1, layers >= 1,"
                                + " numClasses >= 0.");
            }
            return Discriminator.builder()
                    .setBody(body(this))
                    .setSampleShape(sampleShape)
                    .optNumClasses(numClasses)
                    .optSpectralNorm(spectralNorm)
                    .optInitializer(new XavierInitializer())
                    .build();
        }
    }
}
