package org.genlab.core.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A DJL block that initialises its children by running itself once: write the constructor (add the
 * children) and {@code forwardInternal} (call them through {@link Children#call}), nothing else.
 * {@code initialize(manager, FLOAT32, inputShapes)} runs one forward pass on zeros of those shapes,
 * and every child is initialised from the shape it actually receives; {@link #getOutputShapes}
 * comes from the same kind of pass. GenLab's UNet, its residual blocks and the 2D denoiser are
 * built this way.
 *
 * <pre>{@code
 * class TinyDenoiser extends LazyBlock {
 *     private final Block conv1 = addChildBlock("conv1", Conv2d.builder()...build());
 *     private final Block conv2 = addChildBlock("conv2", Conv2d.builder()...build());
 *
 *     protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training,
 *             PairList<String, Object> params) {
 *         NDArray h = Scalars.silu(Children.call(conv1, ps, training, in.get(0)));
 *         return new NDList(Children.call(conv2, ps, training, h));
 *     }
 * }
 * TinyDenoiser net = new TinyDenoiser();
 * net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
 * }</pre>
 *
 * <p>The dummy inputs are float32 zeros; override {@link #inputType(int)} for an input of another
 * type (class labels: int64).
 */
public abstract class LazyBlock extends AbstractBlock {

    /** Creates the block; add children in the subclass constructor. */
    protected LazyBlock() {}

    /**
     * Returns the data type of the dummy input number {@code i} used to initialise the block.
     *
     * @param i the input's position
     * @return float32 by default
     */
    protected DataType inputType(int i) {
        return DataType.FLOAT32;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        try (NDManager sub = manager.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            forwardInternal(
                    new ParameterStore(manager, false), zeros(sub, inputShapes), false, null);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    getClass().getSimpleName()
                            + " must be initialised before its output shapes are asked for.");
        }
        Parameter any = getParameters().isEmpty() ? null : getParameters().valueAt(0);
        NDManager owner = any == null ? NDManager.newBaseManager() : any.getArray().getManager();
        try (NDManager sub = owner.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            NDList out =
                    forwardInternal(
                            new ParameterStore(sub, false), zeros(sub, inputShapes), false, null);
            return out.getShapes();
        } finally {
            if (any == null) {
                owner.close();
            }
        }
    }

    private NDList zeros(NDManager m, Shape... shapes) {
        NDList in = new NDList();
        for (int i = 0; i < shapes.length; i++) {
            in.add(m.zeros(shapes[i], inputType(i)));
        }
        return in;
    }
}
