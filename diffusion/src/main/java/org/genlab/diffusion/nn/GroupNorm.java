package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.GenLabException;

/**
 * Group normalisation (Wu &amp; He, <i>Group Normalization</i>, ECCV 2018): the C channels are cut
 * into G groups, each group of each sample is normalised over its channels and pixels, then every
 * channel gets its own scale and shift:
 *
 * <pre>
 *   y = γ_c (x − μ_{n,g}) / √(σ²_{n,g} + ε) + β_c
 * </pre>
 *
 * <p>DJL has no GroupNorm block. This one reshapes (N, C, H, W) to (N, G, C/G·H·W) and calls the
 * engine's fused layer norm over the last axis (one op instead of mean/var/sub/div), then applies
 * the per-channel affine.
 */
public final class GroupNorm extends AbstractBlock {

    private final int groups;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * Creates the block.
     *
     * @param groups G; must divide the channel count (32 in Ho et al., fewer for small nets)
     */
    public GroupNorm(int groups) {
        this(groups, 1e-5f);
    }

    /**
     * Creates the block.
     *
     * @param groups G
     * @param eps the variance floor ε
     */
    public GroupNorm(int groups, float eps) {
        this.groups = groups;
        this.eps = eps;
        gamma =
                addParameter(
                        Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta =
                addParameter(
                        Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long c = inputShapes[0].get(1);
        if (c % groups != 0) {
            throw new GenLabException(
                    "GroupNorm: " + groups + " groups do not divide " + c + " channels.");
        }
        gamma.setShape(new Shape(c));
        beta.setShape(new Shape(c));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long per = s.size() / (n * groups);
        NDManager m = x.getManager();
        NDArray grouped = x.reshape(n, groups, per);
        Shape normShape = new Shape(per);
        NDArray ones = m.ones(normShape, x.getDataType());
        NDArray zeros = m.zeros(normShape, x.getDataType());
        NDArray y =
                x.getNDArrayInternal()
                        .layerNorm(grouped, normShape, ones, zeros, eps)
                        .singletonOrThrow()
                        .reshape(s);
        long[] bshape = new long[s.dimension()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        // the reshaped views belong to this forward: attach them to its manager, else every
        // call would leave two arrays (that require gradients) in the parameters' manager
        NDArray g = ps.getValue(gamma, x.getDevice(), training).reshape(bshape);
        NDArray b = ps.getValue(beta, x.getDevice(), training).reshape(bshape);
        g.attach(m);
        b.attach(m);
        return new NDList(y.mul(g).add(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /**
     * Returns G.
     *
     * @return the number of groups
     */
    public int groups() {
        return groups;
    }
}
