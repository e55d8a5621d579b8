package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;
import org.genlab.diffusion.nn.TimeEmbedding;

/**
 * The network f of both priors: a residual MLP over a D-dimensional embedding (a small stand-in for
 * the decoder-only transformer of unCLIP's prior, Ramesh et al. 2022, §2.2).
 *
 * <pre>
 *   h_0 = W_in [inputs]                              inputs: see below
 *   h_i = h_{i−1} + W_i SiLU(LN_i(h_{i−1}))            i = 1 … depth
 *   out = W_out SiLU(LN(h_depth))                     (B, D)
 * </pre>
 *
 * Without a time embedding (regression) the inputs are {@code (c (B, D))} and [inputs] = c; with
 * one (diffusion) they are {@code (x_t (B, D), t float32 (B), c (B, D))} and [inputs] = [x_t,
 * emb(t), c], emb the sinusoidal {@link TimeEmbedding}, as the 2D toy {@code MlpDenoiser} sees its
 * step. c is the caption's CLIP text embedding (scaled by √D), or zeros for "no caption".
 */
public final class PriorNetwork extends LazyBlock {

    private final int dim;
    private final int width;
    private final int depth;
    private final int timeEmbedding;
    private final Block in;
    private final List<Block> norms = new ArrayList<>();
    private final List<Block> layers = new ArrayList<>();
    private final Block outNorm;
    private final Block out;

    /**
     * Creates the network.
     *
     * @param dim D, the CLIP embedding size
     * @param width units of the hidden layers
     * @param depth residual layers
     * @param timeEmbedding the size of emb(t) (even), or 0 for a network without a time input
     */
    public PriorNetwork(int dim, int width, int depth, int timeEmbedding) {
        if (dim < 1 || width < 1 || depth < 0 || timeEmbedding < 0 || timeEmbedding % 2 != 0) {
            throw new GenLabException(
                    "PriorNetwork needs D >= 1, width >= 1, depth >= 0 and an even time embedding"
                            + " >= 0, got "
                            + dim
                            + ", "
                            + width
                            + ", "
                            + depth
                            + ", "
                            + timeEmbedding
                            + ".");
        }
        this.dim = dim;
        this.width = width;
        this.depth = depth;
        this.timeEmbedding = timeEmbedding;
        in = addChildBlock("in", Linear.builder().setUnits(width).build());
        for (int i = 0; i < depth; i++) {
            norms.add(addChildBlock("norm" + i, LayerNorm.builder().axis(1).build()));
            layers.add(addChildBlock("fc" + i, Linear.builder().setUnits(width).build()));
        }
        outNorm = addChildBlock("outNorm", LayerNorm.builder().axis(1).build());
        out = addChildBlock("out", Linear.builder().setUnits(dim).build());
        setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }

    /**
     * Initialises the parameters.
     *
     * @param manager where they live
     * @return this
     */
    public PriorNetwork initialize(NDManager manager) {
        if (timed()) {
            initialize(
                    manager, DataType.FLOAT32, new Shape(2, dim), new Shape(2), new Shape(2, dim));
        } else {
            initialize(manager, DataType.FLOAT32, new Shape(2, dim));
        }
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x =
                timed()
                        // [x_t, emb(t), c]
                        ? inputs.get(0)
                                .concat(TimeEmbedding.sinusoidal(inputs.get(1), timeEmbedding), 1)
                                .concat(inputs.get(2), 1)
                        : inputs.get(0);
        NDArray h = Children.call(in, ps, training, x);
        for (int i = 0; i < depth; i++) {
            // h ← h + W_i SiLU(LN_i(h))
            NDArray n = Children.call(norms.get(i), ps, training, h);
            h = h.add(Children.call(layers.get(i), ps, training, Scalars.silu(n)));
        }
        NDArray n = Scalars.silu(Children.call(outNorm, ps, training, h));
        return new NDList(Children.call(out, ps, training, n));
    }

    /**
     * Tells whether the network takes (x_t, t, c) (diffusion) rather than c alone (regression).
     *
     * @return true with a time embedding
     */
    public boolean timed() {
        return timeEmbedding > 0;
    }

    /**
     * Returns D.
     *
     * @return the embedding size
     */
    public int dim() {
        return dim;
    }

    /**
     * Returns the hidden width.
     *
     * @return units per layer
     */
    public int width() {
        return width;
    }

    /**
     * Returns the number of residual layers.
     *
     * @return depth
     */
    public int depth() {
        return depth;
    }

    /**
     * Returns the size of emb(t).
     *
     * @return 0 for a regression network
     */
    public int timeEmbedding() {
        return timeEmbedding;
    }

    @Override
    public String toString() {
        return "PriorNetwork(D="
                + dim
                + ", width="
                + width
                + ", depth="
                + depth
                + (timed() ? ", t-embedding=" + timeEmbedding : "")
                + ")";
    }
}
