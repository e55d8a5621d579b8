package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;

/**
 * A multilayer perceptron ε_θ(x_t, t) for low-dimensional data (2D point clouds): the point is
 * concatenated with a sinusoidal embedding of t (Ho et al. 2020) and passed through {@code depth}
 * hidden layers with SiLU. Inputs {@code (x_t (B, D), t float32 (B))}; output (B, D).
 */
public final class MlpDenoiser extends LazyBlock {

    private final int dim;
    private final int embDim;
    private final List<Block> layers = new ArrayList<>();

    /**
     * Creates the network.
     *
     * @param dim D, the data dimension
     * @param hidden units per hidden layer (128 is plenty for the toy sets)
     * @param depth hidden layers
     * @param embDim the time embedding size (even)
     */
    public MlpDenoiser(int dim, int hidden, int depth, int embDim) {
        this.dim = dim;
        this.embDim = embDim;
        for (int i = 0; i < depth; i++) {
            layers.add(addChildBlock("fc" + i, Linear.builder().setUnits(hidden).build()));
        }
        layers.add(addChildBlock("out", Linear.builder().setUnits(dim).build()));
        setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }

    /**
     * Initialises the parameters.
     *
     * @param manager where they live
     */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1, dim), new Shape(1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // h = [x_t, emb(t)]
        NDArray h = inputs.get(0).concat(TimeEmbedding.sinusoidal(inputs.get(1), embDim), 1);
        for (int i = 0; i < layers.size(); i++) {
            h = Children.call(layers.get(i), ps, training, h);
            if (i < layers.size() - 1) {
                h = Scalars.silu(h);
            }
        }
        return new NDList(h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "MlpDenoiser(dim="
                + dim
                + ", layers="
                + layers.size()
                + ", t-embedding="
                + embDim
                + ")";
    }
}
