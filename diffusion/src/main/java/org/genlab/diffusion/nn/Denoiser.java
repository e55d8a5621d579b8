package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A network that looks at a noisy x_t and its step t and predicts the noise ε (or v, see {@link
 * Prediction}): ε_θ(x_t, t[, y]) of Ho et al. 2020. Samplers, guidance and inpainting drive any
 * denoiser through this one method, so a closed-form predictor (for tests) and a {@link UNet} are
 * interchangeable.
 */
public interface Denoiser {

    /**
     * Predicts for a batch.
     *
     * @param xt noisy inputs (B, …)
     * @param t the 0-based steps as float32 (B)
     * @param labels int64 class labels (B), or {@code null} for an unconditional call
     * @return the prediction, shaped like {@code xt}
     */
    NDArray predict(NDArray xt, NDArray t, NDArray labels);

    /**
     * Returns what {@link #predict} outputs.
     *
     * @return ε or v
     */
    default Prediction prediction() {
        return Prediction.EPSILON;
    }

    /**
     * Wraps a network whose forward takes {@code (x_t, t[, labels])} for inference: a {@link UNet},
     * an {@link MlpDenoiser}, or a block of your own, e.g. one loaded from a run folder:
     *
     * <pre>{@code
     * MyDenoiser net = new MyDenoiser();
     * net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
     * Checkpoint.loadNetwork(run.checkpointFile(), DiffusionTrainer.MODEL,
     *         DiffusionTrainer.NETWORK, net, true);                      // the EMA weights
     * Denoiser d = Denoiser.of(net, Prediction.EPSILON);
     * NDArray x = DdimSampler.builder().setSchedule(schedule).build()
     *         .sample(d, manager, new Shape(16, 1, 28, 28), null);
     * }</pre>
     *
     * @param block an initialised network taking {@code (x_t (B, …), t float32 (B)[, labels int64
     *     (B)])} and returning one array shaped like x_t
     * @param prediction what the block was trained to output
     * @return the denoiser
     */
    static Denoiser of(Block block, Prediction prediction) {
        return new Denoiser() {
            @Override
            public NDArray predict(NDArray xt, NDArray t, NDArray labels) {
                NDList in = labels == null ? new NDList(xt, t) : new NDList(xt, t, labels);
                ParameterStore ps = new ParameterStore(xt.getManager(), false);
                return block.forward(ps, in, false).singletonOrThrow();
            }

            @Override
            public Prediction prediction() {
                return prediction;
            }
        };
    }
}
