package org.genlab.bench.work;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.nn.UNet;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;

/**
 * One DDPM training step as {@code genlab train diffusion} takes it ({@link DiffusionTrainer#step}:
 * t and ε drawn, x_t formed, ε-prediction MSE, backward, gradient-norm clip at 1, Adam lr 2e-4, EMA
 * 0.999), on a fixed batch of random images of the right shape, linear schedule with T = 1000.
 */
public final class DdpmTraining extends TrainingWork {

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
                b.setModel(spec, spec.build(manager));
            } else {
                UNet u = unet.build();
                u.initialize(manager, shape.height(), shape.width());
                b.setDenoiser(u).setSampleShape(spec.sampleShape());
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
