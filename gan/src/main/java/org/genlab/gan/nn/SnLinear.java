package org.genlab.gan.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A fully connected layer whose weight is divided by its spectral norm ({@link SpectralNorm},
 * Miyato et al. 2018): y = x (W / σ(W))ᵀ + b. Input (N, in), output (N, units).
 */
public final class SnLinear extends AbstractBlock {

    private final int units;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter u;

    /**
     * Creates the layer.
     *
     * @param units the number of outputs
     */
    public SnLinear(int units) {
        this.units = units;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(units))
                                .build());
        u =
                addParameter(
                        Parameter.builder()
                                .setName("u")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(units))
                                .optInitializer(new NormalInitializer(1f))
                                .optRequiresGrad(false)
                                .build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(units, inputShapes[0].get(inputShapes[0].dimension() - 1)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        var w = ps.getValue(weight, x.getDevice(), training);
        var b = ps.getValue(bias, x.getDevice(), training);
        var uArr = ps.getValue(u, x.getDevice(), training);
        return Linear.linear(x, SpectralNorm.normalize(w, uArr, training, x.getManager()), b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }

    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {}
}
