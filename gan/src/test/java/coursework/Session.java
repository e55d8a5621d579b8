package coursework;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.nn.Params;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.gan.train.GanTrainer;

/**
 * What every exercise does with its networks: train on the ring of eight Gaussians in a run folder,
 * stop, then start a new session (fresh networks, same folder) that resumes from the checkpoint.
 */
final class Session {

    static final long SEED = 7;

    private Session() {}

    /** A trainer on 512 ring points, batch 64, EMA 0.9; add the networks and the loss. */
    static GanTrainer.Builder trainer(NDManager manager) {
        return GanTrainer.builder()
                .setManager(manager)
                .setData(ToyDataset.byName("ring", 512, SEED), 64)
                .optLearningRate(1e-3f)
                .optEmaDecay(0.9f)
                .optSampleCount(256)
                .optSeed(SEED);
    }

    /** Trains up to {@code steps} (resuming from the folder's checkpoint if there is one). */
    static LossHistory fit(GanTrainer gan, NDManager manager, RunFolder run, long steps) {
        return TrainingLoop.builder()
                .setTask(gan)
                .setManager(manager)
                .setSteps(steps)
                .setRunFolder(run)
                .setSeed(SEED)
                .optLogEvery(5)
                .optCheckpointEvery(10)
                .optSampleEvery(10)
                .optResume(true)
                .optProgressBar(false)
                .build()
                .fit();
    }

    /** A copy of a network's weights. */
    static Map<String, float[]> weights(Block network) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Params.arrays(network).forEach((name, w) -> out.put(name, w.toFloatArray()));
        return out;
    }

    static void assertSameWeights(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, w) -> assertThat(actual.get(name)).as(name).containsExactly(w));
    }
}
