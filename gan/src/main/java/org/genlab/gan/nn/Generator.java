package org.genlab.gan.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;

/**
 * A GAN generator G: a latent vector z ~ N(0, I) (and, for a conditional model, a class label y)
 * in, a sample x = G(z, y) out.
 *
 * <p>G is a <em>body</em> — any DJL {@link Block} that maps (N, latentDim [+ embedDim]) to (N,
 * sampleShape...) — behind an optional class embedding. Conditioning follows the simplest recipe of
 * Mirza &amp; Osindero ("Conditional Generative Adversarial Nets", 2014): a learned class embedding
 * e(y) is concatenated with z, so the body sees [z, e(y)]. GenLab's own bodies come from {@link
 * MlpGenerator} and {@link DcganGenerator}; yours is a {@code SequentialBlock}, a {@link
 * org.genlab.core.nn.LazyBlock} or any {@code AbstractBlock}:
 *
 * <pre>{@code
 * SequentialBlock body = new SequentialBlock()
 *     .add(Linear.builder().setUnits(256).build()).add(Activation::relu)
 *     .add(Linear.builder().setUnits(28 * 28).build()).add(Activation::tanh)
 *     .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 1, 28, 28)));
 * Generator g = Generator.builder().setBody(body).setLatentDim(64)
 *     .setSampleShape(new Shape(1, 28, 28)).optNumClasses(10).build();
 * }</pre>
 *
 * <p>Inputs: {@code NDList(z)} with z of shape (N, latentDim), plus labels of shape (N) when
 * conditional. Output: (N, sampleShape...). The parameters are named {@code 01body_…} and {@code
 * classEmbedding} (the names checkpoints use).
 */
public final class Generator extends AbstractBlock {

    private final int latentDim;
    private final int numClasses;
    private final int embedDim;
    private final Shape sampleShape;
    private final Block body;
    private final Parameter embedding;
    private final Initializer initializer;

    private Generator(Builder b) {
        this.latentDim = b.latentDim;
        this.numClasses = b.numClasses;
        this.embedDim = b.numClasses > 0 ? b.embedDim : 0;
        this.sampleShape = b.sampleShape;
        this.initializer = b.initializer;
        this.body = addChildBlock("body", b.body);
        this.embedding =
                numClasses > 0
                        ? addParameter(
                                Parameter.builder()
                                        .setName("classEmbedding")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optShape(new Shape(numClasses, embedDim))
                                        .optInitializer(new NormalInitializer(1f))
                                        .build())
                        : null;
    }

    /**
     * Creates a builder.
     *
     * @return a builder: unconditional, class embedding of 16 when conditional, DJL's default
     *     initializers
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the size of z.
     *
     * @return the latent dimension
     */
    public int latentDim() {
        return latentDim;
    }

    /**
     * Returns the number of classes.
     *
     * @return the class count, 0 when unconditional
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Tells whether G takes a class label.
     *
     * @return true when conditional
     */
    public boolean isConditional() {
        return numClasses > 0;
    }

    /**
     * Returns the shape of one sample.
     *
     * @return e.g. (1, 28, 28) for MNIST or (2) for a 2D toy
     */
    public Shape sampleShape() {
        return sampleShape;
    }

    /**
     * Tells whether the samples are images (C, H, W).
     *
     * @return true for images, false for points
     */
    public boolean isImage() {
        return sampleShape.dimension() == 3;
    }

    /**
     * Returns the body, the network behind the class embedding.
     *
     * @return the body
     */
    public Block body() {
        return body;
    }

    /**
     * Initialises the parameters (with the builder's weight initializer, if one was set) and checks
     * that the body's output has the sample shape.
     *
     * @param manager where the parameters live (and so the device)
     * @throws GenLabException if the body's output is not (N, sampleShape...)
     */
    public void initialize(NDManager manager) {
        if (initializer != null) {
            setInitializer(initializer, Parameter.Type.WEIGHT);
        }
        initialize(manager, DataType.FLOAT32, inputShapes(2));
        Shape expected = new Shape(2).addAll(sampleShape);
        Shape out;
        try (NDManager sub = manager.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            NDArray z = sub.zeros(new Shape(2, latentDim));
            NDArray y = isConditional() ? sub.zeros(new Shape(2), DataType.INT64) : null;
            out = generate(new ParameterStore(sub, false), z, y, false).getShape();
        }
        if (!out.equals(expected)) {
            throw new GenLabException(
                    "The generator's body turns 2 latents into "
                            + out
                            + ", but the sample shape is "
                            + sampleShape
                            + ": make the body output (N, "
                            + sampleShape.toString().replaceAll("[()]", "")
                            + "), e.g. with a reshape at its end.");
        }
    }

    /**
     * Returns the input shapes for a batch.
     *
     * @param batch the batch size
     * @return (batch, latentDim) and, when conditional, (batch)
     */
    public Shape[] inputShapes(int batch) {
        return isConditional()
                ? new Shape[] {new Shape(batch, latentDim), new Shape(batch)}
                : new Shape[] {new Shape(batch, latentDim)};
    }

    /**
     * Generates samples.
     *
     * @param ps the parameter store
     * @param z latent vectors (N, latentDim)
     * @param labels class labels (N), or null when unconditional
     * @param training true while training (BatchNorm uses batch statistics and updates its running
     *     ones)
     * @return the samples (N, sampleShape...)
     */
    public NDArray generate(ParameterStore ps, NDArray z, NDArray labels, boolean training) {
        NDList in = isConditional() ? new NDList(z, labels) : new NDList(z);
        return forward(ps, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.get(0);
        NDArray h = z;
        if (isConditional()) {
            if (inputs.size() < 2 || inputs.get(1) == null) {
                throw new GenLabException(
                        "This generator is conditional: pass class labels with z.");
            }
            NDArray table = ps.getValue(embedding, z.getDevice(), training);
            NDArray e = Labels.embed(inputs.get(1), table, numClasses);
            h = z.concat(e, 1);
        }
        return body.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0)).addAll(sampleShape)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, new Shape(inputShapes[0].get(0), latentDim + embedDim));
    }

    /** Builds a {@link Generator}. */
    public static final class Builder {
        private Block body;
        private int latentDim;
        private Shape sampleShape;
        private int numClasses;
        private int embedDim = 16;
        private Initializer initializer;

        Builder() {}

        /**
         * Sets the body: the network from (N, latentDim + embedDim) to (N, sampleShape...).
         *
         * @param body any DJL block, uninitialised
         * @return this builder
         */
        public Builder setBody(Block body) {
            this.body = body;
            return this;
        }

        /**
         * Sets the size of z.
         *
         * @param latentDim the latent dimension
         * @return this builder
         */
        public Builder setLatentDim(int latentDim) {
            this.latentDim = latentDim;
            return this;
        }

        /**
         * Sets the shape of one sample.
         *
         * @param shape e.g. (1, 28, 28) for MNIST or (2) for a 2D toy
         * @return this builder
         */
        public Builder setSampleShape(Shape shape) {
            this.sampleShape = shape;
            return this;
        }

        /**
         * Makes the generator conditional: the body then sees [z, e(y)].
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
         * Sets the initializer of every weight (the class embedding's too), e.g. DCGAN's N(0,
         * 0.02).
         *
         * @param initializer the initializer (default: each layer's own DJL default)
         * @return this builder
         */
        public Builder optInitializer(Initializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Builds the generator (uninitialised: call {@link Generator#initialize(NDManager)}, or let
         * the trainer do it).
         *
         * @return the generator
         */
        public Generator build() {
            if (body == null || sampleShape == null || latentDim < 1) {
                throw new GenLabException(
                        "A generator needs a body, a sample shape and a latent dimension >= 1.");
            }
            if (numClasses < 0 || (numClasses > 0 && embedDim < 1)) {
                throw new GenLabException("numClasses must be >= 0 and embedDim >= 1.");
            }
            return new Generator(this);
        }
    }
}
