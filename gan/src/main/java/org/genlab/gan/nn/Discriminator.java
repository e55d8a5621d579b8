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

/**
 * A GAN discriminator (or WGAN critic) D: a sample in, one real-valued logit out. D never applies a
 * sigmoid: the losses work on logits, which is numerically stable.
 *
 * <p>A feature network φ (the body, given by {@link MlpDiscriminator} or {@link
 * DcganDiscriminator}) is followed by a linear head ψ. A conditional discriminator is a
 * <em>projection discriminator</em> (Miyato &amp; Koyama, "cGANs with Projection Discriminator",
 * ICLR 2018): the class enters through an inner product with a learned class embedding,
 *
 * <pre>
 *   D(x, y) = ψ(φ(x)) + e(y)ᵀ φ(x)
 * </pre>
 *
 * <p>With spectral normalisation on (Miyato et al. 2018) every layer of φ and ψ divides its weight
 * by its largest singular value ({@link SnConv2d}, {@link SnLinear}).
 *
 * <p>Inputs: {@code NDList(x)} with x of shape (N, sampleShape...), plus labels (N) when
 * conditional. Output: logits (N, 1).
 */
public abstract class Discriminator extends AbstractBlock {

    private final int numClasses;
    private final Shape sampleShape;
    private final boolean spectralNorm;
    private final Block body;
    private final Block head;
    private final Parameter embedding;

    /**
     * Wires a feature body, a linear head and the optional projection.
     *
     * @param sampleShape the shape of one input sample
     * @param numClasses the number of classes, 0 for unconditional
     * @param spectralNorm whether the head is spectrally normalised (the body builds its own)
     * @param body the feature network mapping (N, sampleShape...) to (N, F)
     */
    protected Discriminator(Shape sampleShape, int numClasses, boolean spectralNorm, Block body) {
        this.sampleShape = sampleShape;
        this.numClasses = numClasses;
        this.spectralNorm = spectralNorm;
        this.body = addChildBlock("body", body);
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
     * Tells whether the layers are spectrally normalised.
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
     * Returns the initializer for weights.
     *
     * @return the weight initializer
     */
    protected abstract Initializer weightInitializer();

    /**
     * Initialises the parameters with this discriminator's weight initializer.
     *
     * @param manager where the parameters live
     */
    public void initialize(NDManager manager) {
        setInitializer(weightInitializer(), Parameter.Type.WEIGHT);
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
            if (inputs.size() < 2) {
                throw new org.genlab.core.GenLabException(
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
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes[0]);
        Shape features = body.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        head.initialize(manager, dataType, features);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        if (embedding != null) {
            Shape features = body.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            embedding.setShape(new Shape(numClasses, features.get(1)));
        }
    }
}
