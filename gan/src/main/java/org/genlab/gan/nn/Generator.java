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
import ai.djl.util.PairList;

/**
 * A GAN generator G: a latent vector z ~ N(0, I) (and, for a conditional model, a class label y)
 * in, a sample x = G(z, y) out.
 *
 * <p>Conditioning follows the simplest recipe of Mirza &amp; Osindero ("Conditional Generative
 * Adversarial Nets", 2014): a learned class embedding e(y) is concatenated with z, so the network
 * body sees [z, e(y)]. Subclasses give the body ({@link MlpGenerator}, {@link DcganGenerator}).
 *
 * <p>Inputs: {@code NDList(z)} with z of shape (N, latentDim), plus labels of shape (N) when
 * conditional. Output: (N, sampleShape...).
 */
public abstract class Generator extends AbstractBlock {

    private final int latentDim;
    private final int numClasses;
    private final int embedDim;
    private final Shape sampleShape;
    private final Block body;
    private final Parameter embedding;

    /**
     * Wires a body behind the optional class embedding.
     *
     * @param latentDim the size of z
     * @param numClasses the number of classes, 0 for an unconditional model
     * @param embedDim the size of the class embedding (ignored when unconditional)
     * @param sampleShape the shape of one sample, e.g. (1, 28, 28) or (2)
     * @param body the network mapping (N, latentDim + embedDim) to (N, sampleShape...)
     */
    protected Generator(
            int latentDim, int numClasses, int embedDim, Shape sampleShape, Block body) {
        this.latentDim = latentDim;
        this.numClasses = numClasses;
        this.embedDim = numClasses > 0 ? embedDim : 0;
        this.sampleShape = sampleShape;
        this.body = addChildBlock("body", body);
        this.embedding =
                numClasses > 0
                        ? addParameter(
                                Parameter.builder()
                                        .setName("classEmbedding")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optShape(new Shape(numClasses, embedDim))
                                        .optInitializer(
                                                new ai.djl.training.initializer.NormalInitializer(
                                                        1f))
                                        .build())
                        : null;
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
     * Builds a fresh, uninitialised generator of the same architecture (e.g. to hold the EMA
     * weights).
     *
     * @return a new generator
     */
    public abstract Generator newInstance();

    /**
     * Returns the initializer for weights (DCGAN: N(0, 0.02)).
     *
     * @return the weight initializer
     */
    protected abstract Initializer weightInitializer();

    /**
     * Initialises the parameters with this generator's weight initializer.
     *
     * @param manager where the parameters live (and so the device)
     */
    public void initialize(NDManager manager) {
        setInitializer(weightInitializer(), Parameter.Type.WEIGHT);
        initialize(manager, DataType.FLOAT32, inputShapes(2));
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
            if (inputs.size() < 2) {
                throw new org.genlab.core.GenLabException(
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
}
