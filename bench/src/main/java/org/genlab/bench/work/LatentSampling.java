package org.genlab.bench.work;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.bench.Timer;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.train.ModelSpec;

/**
 * Latent flow sampling as {@code genlab sample diffusion} runs it on a latent run: the {@code
 * latent} UNet preset (velocity prediction) integrated by {@link FlowSampler} from noise of the
 * latent's shape (4×7×7 for MNIST), then the autoencoder's decoder: x = clip(D(z / s), −1, 1). The
 * decoding mirrors {@code LatentSpace.decode} (no gradient, one chunk for a batch of up to 256),
 * which needs a trained run folder to load; the networks here are freshly initialised (their
 * weights do not change the time), with s = 1.
 */
public final class LatentSampling implements AutoCloseable {

    private final NDManager manager;
    private final ImageShape shape;
    private final ImageShape latent;
    private final Denoiser denoiser;
    private final Autoencoder autoencoder;
    private final float scale = 1f;
    private final Map<String, Long> parameters = new LinkedHashMap<>();

    /**
     * Builds the latent UNet and the autoencoder.
     *
     * @param device where to run
     * @param shape the image size
     * @param seed the seed of the weights
     */
    public LatentSampling(Device device, ImageShape shape, long seed) {
        this.shape = shape;
        manager = NDManager.newBaseManager(device);
        try {
            Seeds.seed(seed);
            autoencoder = AutoencoderTraining.autoencoder(shape).initialize(manager);
            latent = shape.latent((int) autoencoder.latentShape().get(0));
            ModelSpec spec = DdpmTraining.latentFlowSpec(latent);
            Block unet = spec.build(manager);
            denoiser = spec.denoiser(unet);
            parameters.put("unet", Params.count(unet));
            parameters.put("autoencoder", Params.count(autoencoder));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the image size.
     *
     * @return the shape the autoencoder was built for
     */
    public ImageShape shape() {
        return shape;
    }

    /**
     * Returns the latent size.
     *
     * @return e.g. 4×7×7
     */
    public ImageShape latent() {
        return latent;
    }

    /**
     * Returns the trainable parameters of the networks, as the report lists them.
     *
     * @return {@code unet} and {@code autoencoder} (the whole autoencoder, though only its decoder
     *     runs here) → scalars
     */
    public Map<String, Long> parameters() {
        return parameters;
    }

    /**
     * Times Euler sampling of {@code batch} latents and their decoding; each run in a manager
     * closed right after.
     *
     * @param steps the Euler steps
     * @param batch images per run
     * @return the work
     */
    public Timer.Work work(int steps, int batch) {
        FlowSampler sampler = FlowSampler.builder().optSteps(steps).build();
        Shape z = new Shape(batch).addAll(latent.chw());
        return (index, sync) -> {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = decode(sampler.sample(denoiser, sub, z, null));
                if (sync) {
                    x.sum().getFloat();
                }
            }
        };
    }

    /** LatentSpace.decode: x = clip(D(z / s), −1, 1), without gradient. */
    private NDArray decode(NDArray z) {
        try (NoGrad scope = NoGrad.enter()) {
            ParameterStore ps = new ParameterStore(z.getManager(), false);
            return autoencoder.decode(ps, z.div(scale), false).clip(-1f, 1f);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
