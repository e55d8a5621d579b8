package org.genlab.bench.work;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.nn.UNet;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;

/**
 * One diffusion training step as {@code genlab train diffusion} takes it ({@link
 * DiffusionTrainer#step}), on a fixed batch of random samples of the right shape: DDPM (t and ε
 * drawn, x_t formed, ε-prediction MSE, linear schedule with T = 1000) or, for a flow-matching spec
 * ({@link #latentFlowSpec}), flow matching (s ~ U(0, 1) and ε drawn, x_s = (1 − s) x_0 + s ε, MSE
 * of the velocity ε − x_0); then backward, gradient-norm clip at 1, Adam lr 2e-4, EMA 0.999.
 */
public final class DdpmTraining extends TrainingWork {

    private final Map<String, Long> parameters = new LinkedHashMap<>();

    /**
     * Builds the UNet preset ({@link ModelSpec#build}) and the trainer.
     *
     * @param device where to run
     * @param shape the image size
     * @param preset {@code cpu} or {@code gpu}
     * @param batch B
     * @param seed the seed of the weights and the batch
     */
    public DdpmTraining(Device device, ImageShape shape, String preset, int batch, long seed) {
        this(device, shape, spec(shape, preset), null, batch, seed);
    }

    /**
     * Builds a built-in network and its trainer from a spec, e.g. the latent UNet trained by flow
     * matching on latents of {@code spec.sampleShape()}.
     *
     * @param device where to run
     * @param spec the network, sample shape, schedule and prediction
     * @param batch B
     * @param seed the seed of the weights and the batch
     */
    public DdpmTraining(Device device, ModelSpec spec, int batch, long seed) {
        this(device, ImageShape.of(spec.sampleShape()), spec, null, batch, seed);
    }

    /**
     * Builds the trainer around a UNet of any size (the long memory run uses a small one).
     *
     * @param device where to run
     * @param shape the image size
     * @param unet the UNet to build instead of the preset, or null for the spec's preset
     * @param batch B
     * @param seed the seed
     */
    public DdpmTraining(Device device, ImageShape shape, UNet.Builder unet, int batch, long seed) {
        this(device, shape, spec(shape, "cpu"), unet, batch, seed);
    }

    private DdpmTraining(
            Device device,
            ImageShape shape,
            ModelSpec spec,
            UNet.Builder unet,
            int batch,
            long seed) {
        super(NDManager.newBaseManager(device));
        NDManager manager = manager();
        try {
            Seeds.seed(seed);
            DiffusionTrainer.Builder b = DiffusionTrainer.builder().setManager(manager);
            if (unet == null) {
                Block net = spec.build(manager);
                b.setModel(spec, net);
                parameters.put("unet", Params.count(net));
            } else {
                UNet u = unet.build();
                u.initialize(manager, shape.height(), shape.width());
                b.setDenoiser(u).setSampleShape(spec.sampleShape());
                parameters.put("unet", Params.count(u));
            }
            NDArray real = manager.randomUniform(-1f, 1f, shape.batch(batch));
            // in the step's manager, see GanTraining.inStep
            BatchSource data = (m, index) -> new Batch(GanTraining.inStep(real, m), null);
            DiffusionTrainer trainer = b.setData(data).build();
            setTask(trainer);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the trainable parameters of the network, as the report lists them.
     *
     * @return {@code unet} → scalars
     */
    @Override
    public Map<String, Long> parameters() {
        return parameters;
    }

    /**
     * Describes the latent flow-matching model: the {@code latent} UNet preset (one level, base 64,
     * 2 residual blocks, attention), unconditional, velocity prediction.
     *
     * @param latent the latent's size, e.g. 4×7×7
     * @return the spec
     */
    public static ModelSpec latentFlowSpec(ImageShape latent) {
        return new ModelSpec(
                "unet",
                "latent",
                latent.channels(),
                latent.height(),
                latent.width(),
                0,
                DiffusionTrainer.FLOW_SCHEDULE,
                FlowPath.TIME_SCALE,
                Prediction.FLOW);
    }

    /**
     * Describes the model the benchmark trains.
     *
     * @param shape the image size
     * @param preset the UNet preset
     * @return an unconditional ε-prediction UNet with a linear schedule of 1000 steps
     */
    public static ModelSpec spec(ImageShape shape, String preset) {
        return new ModelSpec(
                "unet",
                preset,
                shape.channels(),
                shape.height(),
                shape.width(),
                0,
                "linear",
                1000,
                Prediction.EPSILON);
    }
}
