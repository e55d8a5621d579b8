package org.genlab.gan.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;
import org.genlab.core.GenLabException;

/**
 * The fully connected generator of the original GAN (Goodfellow et al., "Generative Adversarial
 * Nets", NeurIPS 2014): z → [Linear → ReLU] × layers → Linear → (tanh) → reshape. Its builder makes
 * a {@link Generator} with this body.
 *
 * <pre>{@code
 * Generator g = MlpGenerator.builder().setSampleShape(new Shape(2)).optLatentDim(8).build();
 * Generator mnist = MlpGenerator.builder().setSampleShape(new Shape(1, 28, 28))
 *     .optWidth(256).optTanh(true).build();
 * }</pre>
 *
 * Use tanh for images (pixels in [-1, 1]) and a linear output for 2D toys.
 */
public final class MlpGenerator {

    private MlpGenerator() {}

    private static SequentialBlock body(Builder b) {
        SequentialBlock s = new SequentialBlock();
        for (int i = 0; i < b.layers; i++) {
            s.add(Linear.builder().setUnits(b.width).build()).add(Activation::relu);
        }
        s.add(Linear.builder().setUnits(b.sampleShape.size()).build());
        if (b.tanh) {
            s.add(Activation::tanh);
        }
        Shape shape = b.sampleShape;
        s.add(
                x ->
                        new ai.djl.ndarray.NDList(
                                x.singletonOrThrow().reshape(new Shape(-1).addAll(shape))));
        return s;
    }

    /**
     * Creates a builder.
     *
     * @return a builder: latent 64, width 128, 2 hidden layers, linear output, unconditional
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the MLP generator. */
    public static final class Builder {
        private Shape sampleShape;
        private int latentDim = 64;
        private int width = 128;
        private int layers = 2;
        private boolean tanh;
        private int numClasses;
        private int embedDim = 16;

        Builder() {}

        /**
         * Sets the shape of one sample.
         *
         * @param shape e.g. (2) for points, (1, 28, 28) for MNIST
         * @return this builder
         */
        public Builder setSampleShape(Shape shape) {
            this.sampleShape = shape;
            return this;
        }

        /**
         * Sets the size of z.
         *
         * @param latentDim the latent dimension (default 64)
         * @return this builder
         */
        public Builder optLatentDim(int latentDim) {
            this.latentDim = latentDim;
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
         * Squashes the output with tanh (for images in [-1, 1]).
         *
         * @param tanh true for a tanh output (default false)
         * @return this builder
         */
        public Builder optTanh(boolean tanh) {
            this.tanh = tanh;
            return this;
        }

        /**
         * Makes the generator conditional.
         *
         * @param numClasses the number of classes (default 0: unconditional)
         * @return this builder
         */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets the size of the class embedding concatenated with z.
         *
         * @param embedDim the embedding size (default 16)
         * @return this builder
         */
        public Builder optEmbedDim(int embedDim) {
            this.embedDim = embedDim;
            return this;
        }

        /**
         * Builds the generator (uninitialised: call {@link Generator#initialize(
         * ai.djl.ndarray.NDManager)}), with Xavier-initialised weights.
         *
         * @return the generator
         */
        public Generator build() {
            if (sampleShape == null || latentDim < 1 || width < 1 || layers < 1) {
                throw new GenLabException(
                        "MlpGenerator needs a sample shape, latentDim >= 1, width >= 1, layers >="
                                + " 1.");
            }
            if (numClasses < 0 || (numClasses > 0 && embedDim < 1)) {
                throw new GenLabException("numClasses must be >= 0 and embedDim >= 1.");
            }
            return Generator.builder()
                    .setBody(body(this))
                    .setLatentDim(latentDim)
                    .setSampleShape(sampleShape)
                    .optNumClasses(numClasses)
                    .optEmbedDim(embedDim)
                    .optInitializer(new XavierInitializer())
                    .build();
        }
    }
}
