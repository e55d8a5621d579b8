package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.genlab.core.nn.Scalars;

/** Small helpers shared by the denoisers: lazy child initialisation, SiLU, time embeddings. */
final class Layers {

    private Layers() {}

    /**
     * Runs a child block, initialising it from the actual input shapes on first use (the parent
     * initialises its children by running one dummy forward).
     */
    static NDArray call(Block block, ParameterStore ps, boolean training, NDArray... inputs) {
        NDList in = new NDList(inputs);
        if (!block.isInitialized()) {
            block.initialize(ps.getManager(), DataType.FLOAT32, in.getShapes());
        }
        if (training) {
            return block.forward(ps, in, training).singletonOrThrow();
        }
        // inference: the block's intermediates die with it, as in PyTorch, instead of living
        // until the caller's manager closes (3x the peak memory of a DDIM step, measured)
        NDManager outer = inputs[0].getManager();
        try (NDManager scope = outer.newSubManager()) {
            scope.tempAttachAll(inputs);
            NDArray out = block.forward(ps, in, false).singletonOrThrow();
            out.attach(outer);
            return out;
        }
    }

    /** SiLU(x) = x·σ(x) (a.k.a. swish), the activation of the DDPM UNet. */
    static NDArray silu(NDArray x) {
        return Scalars.silu(x);
    }

    /**
     * The sinusoidal embedding of Vaswani et al. 2017 used for the diffusion step by Ho et al.
     * 2020: [sin(t ω_i), cos(t ω_i)] with ω_i = 10000^(−i/(d/2)).
     *
     * @param t float32 steps (B)
     * @param dim d (even)
     * @return (B, d)
     */
    static NDArray sinusoidal(NDArray t, int dim) {
        int half = dim / 2;
        NDManager m = t.getManager();
        NDArray freqs = m.arange(0f, half).mul((float) (-Math.log(10000.0) / half)).exp();
        NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs.reshape(1, -1));
        return args.sin().concat(args.cos(), 1);
    }

    /** Runs a parent's dummy forward so that every child sees its real input shape. */
    static void initializeByForward(
            NDManager paramManager, Block parent, Shape x, boolean withLabels) {
        try (NDManager sub = paramManager.newSubManager()) {
            long b = 2;
            Shape xs = new Shape(b).addAll(x.slice(1));
            NDList in = new NDList(sub.zeros(xs), sub.zeros(new Shape(b)));
            if (withLabels) {
                in.add(sub.zeros(new Shape(b), DataType.INT64));
            }
            ParameterStore ps = new ParameterStore(paramManager, false);
            if (parent instanceof UNet) {
                ((UNet) parent).run(ps, in, false);
            } else {
                ((MlpDenoiser) parent).run(ps, in, false);
            }
        }
    }
}
