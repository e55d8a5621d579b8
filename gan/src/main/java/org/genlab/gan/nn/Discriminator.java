package org.genlab.gan.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.genlab.core.GenLabException;

/**
 * A GAN discriminator (or WGAN critic) D: a sample in, one real-valued logit out. D never applies a
 * sigmoid: the losses work on logits, which is numerically stable.
 *
 * <p>A feature network φ (the <em>body</em>: any DJL {@link Block} from (N, sampleShape...) to (N,
 * F)) is followed by a linear head ψ. A conditional discriminator is a <em>projection
 * discriminator</em> (Miyato &amp; Koyama, "cGANs with Projection Discriminator", ICLR 2018): the
 * class enters through an inner product with a learned class embedding,
 *
 * <pre>
 *   D(x, y) = ψ(φ(x)) + e(y)ᵀ φ(x)
 * </pre>
 *
 * <p>GenLab's own bodies come from {@link MlpDiscriminator} and {@link DcganDiscriminator}; yours
 * is any block that ends in (N, F) features:
 *
 * <pre>{@code
 * SequentialBlock features = new SequentialBlock()
 *     .add(Blocks.batchFlattenBlock())
 *     .add(Linear.builder().setUnits(256).build())
 *     .add(x -> Activation.leakyRelu(x, 0.2f));
 * Discriminator d = Discriminator.builder().setBody(features)
 *     .setSampleShape(new Shape(1, 28, 28)).optNumClasses(10).build();
 * }</pre>
 *
 * <p>With spectral normalisation (Miyato et al. 2018) every layer divides its weight by its largest
 * singular value: the body uses {@link SnConv2d} / {@link SnLinear}, and {@link
 * Builder#optSpectralNorm} does the same for the head.
 *
 * <p>Inputs: {@code NDList(x)} with x of shape (N, sampleShape...), plus labels (N) when
 * conditional. Output: logits (N, 1). The parameters are named {@code 01body_…}, {@code 02head_…}
 * and {@code projection} (the names checkpoints use).
 */
public final class Discriminator extends AbstractBlock {

    private final int numClasses;
    private final Shape sampleShape;
    private final boolean spectralNorm;
    private final Block body;
    private final Block head;
    private final Parameter embedding;
    private final Initializer initializer;

    private Discriminator(Builder b) {
        this.sampleShape = b.sampleShape;
        this.numClasses = b.numClasses;
        this.spectralNorm = b.spectralNorm;
        this.initializer = b.initializer;
        this.body = addChildBlock("body", b.body);
        this.head =
                addChildBlock(
                        "head",
                        spectralNorm ? new SnLinear(1) : Linear.builder().setUnits(1).build());
        this.embedding =
                numClasses > 0
                        ? addParameter(
                                Parameter.builder()
                                        .setName("projection")
                                        .setType(Parameter.Type.WEIGHT)
                                        .build())
                        : null;
    }

    /**
     * Creates a builder.
     *
     * @return a builder: unconditional, plain linear head, DJL's default initializers
     */
    public static Builder builder() {
        return new Builder();
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
     * Tells whether D takes a class label (projection discriminator).
     *
     * @return true when conditional
     */
    public boolean isConditional() {
        return numClasses > 0;
    }

    /**
     * Tells whether the head is spectrally normalised.
     *
     * @return true with spectral normalisation
     */
    public boolean isSpectralNorm() {
        return spectralNorm;
    }

    /**
     * Returns the shape of one input sample.
     *
     * @return e.g. (1, 28, 28)
     */
    public Shape sampleShape() {
        return sampleShape;
    }

    /**
     * Returns the body, the feature network φ.
     *
     * @return the body
     */
    public Block body() {
        return body;
    }

    /**
     * Initialises the parameters, with the builder's weight initializer if one was set.
     *
     * @param manager where the parameters live
     */
    public void initialize(NDManager manager) {
        if (initializer != null) {
            setInitializer(initializer, Parameter.Type.WEIGHT);
        }
        initialize(manager, DataType.FLOAT32, inputShapes(2));
    }

    /**
     * Returns the input shapes for a batch.
     *
     * @param batch the batch size
     * @return (batch, sampleShape...) and, when conditional, (batch)
     */
    public Shape[] inputShapes(int batch) {
        Shape x = new Shape(batch).addAll(sampleShape);
        return isConditional() ? new Shape[] {x, new Shape(batch)} : new Shape[] {x};
    }

    /**
     * Scores samples.
     *
     * @param ps the parameter store
     * @param x samples (N, sampleShape...)
     * @param labels class labels (N), or null when unconditional
     * @param training true while training (spectral norm updates its power iteration)
     * @return logits (N, 1): high for "real"
     */
    public NDArray logits(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDList in = isConditional() ? new NDList(x, labels) : new NDList(x);
        return forward(ps, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray features = body.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray out = head.forward(ps, new NDList(features), training).singletonOrThrow();
        if (isConditional()) {
            if (inputs.size() < 2 || inputs.get(1) == null) {
                throw new GenLabException(
                        "This discriminator is conditional: pass class labels with x.");
            }
            NDArray table = ps.getValue(embedding, x.getDevice(), training);
            NDArray e = Labels.embed(inputs.get(1), table, numClasses);
            out = out.add(e.mul(features).sum(new int[] {1}, true));
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (isConditional() && !body.isInitialized() && features(inputShapes[0]) == null) {
            // a body that knows its output shape only once initialised (a LazyBlock): the
            // projection's shape depends on it
            body.initialize(manager, dataType, inputShapes[0]);
        }
        super.initialize(manager, dataType, inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (!body.isInitialized()) {
            body.initialize(manager, dataType, inputShapes[0]);
        }
        head.initialize(manager, dataType, requireFeatures(inputShapes[0]));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        if (embedding != null) {
            embedding.setShape(new Shape(numClasses, requireFeatures(inputShapes[0]).get(1)));
        }
    }

    /** The body's output shape, or null if the body cannot tell it yet. */
    private Shape features(Shape x) {
        try {
            return body.getOutputShapes(new Shape[] {x})[0];
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Shape requireFeatures(Shape x) {
        Shape f = body.getOutputShapes(new Shape[] {x})[0];
        if (f.dimension() != 2) {
            throw new GenLabException(
                    "The discriminator's body must output features of shape (N, F), but it turns "
                            + x
                            + " into "
                            + f
                            + ": end it with ai.djl.nn.Blocks.batchFlattenBlock().");
        }
        return f;
    }

    /** Builds a {@link Discriminator}. */
    public static final class Builder {
        private Block body;
        private Shape sampleShape;
        private int numClasses;
        private boolean spectralNorm;
        private Initializer initializer;

        Builder() {}

        /**
         * Sets the body, the feature network φ from (N, sampleShape...) to (N, F).
         *
         * @param body any DJL block, uninitialised
         * @return this builder
         */
        public Builder setBody(Block body) {
            this.body = body;
            return this;
        }

        /**
         * Sets the shape of one input sample.
         *
         * @param shape e.g. (1, 28, 28) or (2)
         * @return this builder
         */
        public Builder setSampleShape(Shape shape) {
            this.sampleShape = shape;
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
         * Spectrally normalises the linear head ({@link SnLinear}); the body normalises its own
         * layers.
         *
         * @param spectralNorm true to normalise the head (default false)
         * @return this builder
         */
        public Builder optSpectralNorm(boolean spectralNorm) {
            this.spectralNorm = spectralNorm;
            return this;
        }

        /**
         * Sets the initializer of every weight (head and projection included).
         *
         * @param initializer the initializer (default: each layer's own DJL default)
         * @return this builder
         */
        public Builder optInitializer(Initializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Builds the discriminator (uninitialised).
         *
         * @return the discriminator
         */
        public Discriminator build() {
            if (body == null || sampleShape == null || numClasses < 0) {
                throw new GenLabException(
                        "A discriminator needs a body, a sample shape and numClasses >= 0.");
            }
            return new Discriminator(this);
        }
    }
}
