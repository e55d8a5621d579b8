package org.genlab.bench.work;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.data.Batch;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;
import org.genlab.gan.GanModels;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.train.GanTrainer;

/**
 * One DCGAN training step as {@code genlab train gan} takes it ({@link GanTrainer#step}: one D
 * update, one G update, the EMA of G, the logged statistics), on a fixed batch of random "real"
 * images of the right shape. The step's manager is closed after every step, as in {@link
 * org.genlab.core.train.TrainingLoop}.
 */
public final class GanTraining extends TrainingWork {

    private final Map<String, Long> parameters = new LinkedHashMap<>();

    /**
     * Builds G, D and the trainer (non-saturating loss, Adam lr 2e-4, β = (0.5, 0.999), EMA 0.999).
     *
     * @param device where to run
     * @param shape the image size
     * @param width the DCGAN base width (64 in the paper)
     * @param batch B
     * @param seed the seed of the weights and the batch
     */
    public GanTraining(Device device, ImageShape shape, int width, int batch, long seed) {
        super(NDManager.newBaseManager(device));
        NDManager manager = manager();
        try {
            GanModels models = new GanModels("dcgan", shape.chw(), 0, 100, width, false, true);
            Generator g = models.newGenerator();
            Discriminator d = models.newDiscriminator();
            Seeds.seed(seed);
            NDArray real = manager.randomUniform(-1f, 1f, shape.batch(batch));
            GanTrainer trainer =
                    GanTrainer.builder()
                            .setManager(manager)
                            .setGenerator(g)
                            .setDiscriminator(d)
                            .setData((m, index) -> new Batch(inStep(real, m), null))
                            .optModelName("dcgan")
                            .optSeed(seed)
                            .build();
            parameters.put("generator", Params.count(g));
            parameters.put("discriminator", Params.count(d));
            setTask(trainer);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the trainable parameters of G and D, as the report lists them.
     *
     * @return {@code generator} and {@code discriminator} → scalars
     */
    @Override
    public Map<String, Long> parameters() {
        return parameters;
    }

    /**
     * Copies the fixed batch into the step's manager, as a real data source gathers its batch
     * there. This matters: DJL attaches the result of an operation to its first operand's manager,
     * so a forward pass over an array of the long-lived manager would leave every intermediate of
     * that pass there, step after step (a leak of hundreds of MiB per step for the UNet).
     *
     * @param data the fixed batch
     * @param step the step's manager
     * @return a copy owned by the step
     */
    static NDArray inStep(NDArray data, NDManager step) {
        NDArray x = data.duplicate();
        x.attach(step);
        return x;
    }
}
