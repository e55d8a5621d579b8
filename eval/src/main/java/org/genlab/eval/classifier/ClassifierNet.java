package org.genlab.eval.classifier;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A classifier split in two: a {@code body} that maps an image to a feature vector, and a linear
 * {@code head} that maps features to class scores (logits). The metrics use the body's output.
 */
public final class ClassifierNet extends AbstractBlock {

    private final SequentialBlock body;
    private final Linear head;
    private final int featureDim;

    private ClassifierNet(SequentialBlock body, int featureDim, int classes) {
        this.body = addChildBlock("body", body);
        this.head = addChildBlock("head", Linear.builder().setUnits(classes).build());
        this.featureDim = featureDim;
    }

    /**
     * A LeNet-style network (after LeNet-5, LeCun et al., "Gradient-Based Learning Applied to
     * Document Recognition", 1998), a little wider and with ReLU, max pooling and BatchNorm: conv
     * 5×5 ×16 → pool → conv 5×5 ×32 → pool → 120 → 84 features → classes.
     *
     * @param classes the number of classes
     * @return the network (84 features)
     */
    public static ClassifierNet lenet(int classes) {
        SequentialBlock b = new SequentialBlock();
        for (int filters : new int[] {16, 32}) {
            b.add(
                            Conv2d.builder()
                                    .setKernelShape(new Shape(5, 5))
                                    .optPadding(new Shape(2, 2))
                                    .setFilters(filters)
                                    .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        b.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(0.25f).build())
                .add(Linear.builder().setUnits(84).build())
                .add(Activation::relu);
        return new ClassifierNet(b, 84, classes);
    }

    /**
     * A small VGG-style network for 32×32 colour images: three stages of two 3×3 convolutions (32,
     * 64, 128 filters) with BatchNorm, ReLU and max pooling, then 256 features → classes.
     *
     * @param classes the number of classes
     * @return the network (256 features)
     */
    public static ClassifierNet smallVgg(int classes) {
        SequentialBlock b = new SequentialBlock();
        for (int filters : new int[] {32, 64, 128}) {
            for (int i = 0; i < 2; i++) {
                b.add(
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(filters)
                                        .build())
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu);
            }
            b.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        b.add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate(0.3f).build())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu);
        return new ClassifierNet(b, 256, classes);
    }

    /**
     * Returns the length of the feature vector.
     *
     * @return the feature dimension
     */
    public int featureDim() {
        return featureDim;
    }

    /**
     * Computes feature vectors.
     *
     * @param ps the parameter store
     * @param images {@code (N, C, H, W)} in [-1, 1]
     * @param training whether BatchNorm and dropout run in training mode
     * @return {@code (N, featureDim)}
     */
    public NDList features(ParameterStore ps, NDList images, boolean training) {
        return body.forward(ps, images, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return head.forward(ps, body.forward(ps, inputs, training, params), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(body.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, body.getOutputShapes(inputShapes));
    }
}
