package org.genlab.bench.work;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.autoencoder.train.AutoencoderTrainer;
import org.genlab.core.data.Batch;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;

/**
 * One optimisation step of the KL autoencoder as {@code genlab train autoencoder} takes it ({@link
 * AutoencoderTrainer#step} with its defaults): (μ, log σ²) = E(x), z = μ + σ ε, x̂ = D(z), L = mean
 * |x − x̂| + β · KL with β = 10⁻⁴, backward, gradient-norm clip at 1, Adam lr 3·10⁻³, EMA 0.999; on
 * a fixed batch of random images of the right shape. The autoencoder is the default one: 4 latent
 * channels, width 32, f = 4 (MNIST 1×28×28 → 4×7×7).
 */
public final class AutoencoderTraining extends TrainingWork {

    private final Map<String, Long> parameters = new LinkedHashMap<>();

    /**
     * Builds the autoencoder and its trainer.
     *
     * @param device where to run
     * @param shape the image size
     * @param batch B
     * @param seed the seed of the weights and the batch
     */
    public AutoencoderTraining(Device device, ImageShape shape, int batch, long seed) {
        super(NDManager.newBaseManager(device));
        NDManager manager = manager();
        try {
            Seeds.seed(seed);
            Autoencoder ae = autoencoder(shape).initialize(manager);
            NDArray real = manager.randomUniform(-1f, 1f, shape.batch(batch));
            AutoencoderTrainer trainer =
                    AutoencoderTrainer.builder()
                            .setModel(ae)
                            // in the step's manager, see GanTraining.inStep
                            .setData((m, index) -> new Batch(GanTraining.inStep(real, m), null))
                            .setManager(manager)
                            .build();
            parameters.put("autoencoder", Params.count(ae));
            setTask(trainer);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The autoencoder the benchmark trains and decodes with: GenLab's default (KL bottleneck, 4
     * latent channels, width 32).
     *
     * @param shape the image size
     * @return an uninitialised autoencoder
     */
    public static Autoencoder autoencoder(ImageShape shape) {
        return Autoencoder.builder().setImageShape(shape.chw()).build();
    }

    /**
     * Returns the trainable parameters of the network, as the report lists them.
     *
     * @return {@code autoencoder} → scalars (encoder and decoder)
     */
    @Override
    public Map<String, Long> parameters() {
        return parameters;
    }
}
