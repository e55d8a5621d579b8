package org.genlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Runs child blocks inside a network you write, the way GenLab's own networks do. Use it from
 * {@code forwardInternal} of a {@link LazyBlock} (or any {@code AbstractBlock}):
 *
 * <pre>{@code
 * NDArray h = Children.call(conv1, ps, training, x);          // conv1 is initialised on first use
 * h = Children.call(norm1, ps, training, h);
 * }</pre>
 */
public final class Children {

    private Children() {}

    /**
     * Runs a child block on its inputs and returns its single output. A child that is not yet
     * initialised is initialised first from the actual input shapes (so a parent never has to work
     * out its children's shapes by hand). At inference the child's intermediate arrays are freed as
     * soon as it returns, as in PyTorch, instead of living until the caller's manager closes.
     *
     * @param block the child
     * @param ps the parameter store of the forward pass
     * @param training true while training
     * @param inputs the child's inputs
     * @return the child's output
     */
    public static NDArray call(
            Block block, ParameterStore ps, boolean training, NDArray... inputs) {
        NDList in = new NDList(inputs);
        if (!block.isInitialized()) {
            block.initialize(ps.getManager(), DataType.FLOAT32, in.getShapes());
        }
        if (training) {
            return block.forward(ps, in, true).singletonOrThrow();
        }
        // inference: the block's intermediates die with it (3x the peak memory of a DDIM step
        // otherwise, measured)
        NDManager outer = inputs[0].getManager();
        try (NDManager scope = outer.newSubManager()) {
            scope.tempAttachAll(inputs);
            NDArray out = block.forward(ps, in, false).singletonOrThrow();
            out.attach(outer);
            return out;
        }
    }
}
