package org.genlab.diffusion.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.diffusion.nn.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CI-sized MNIST run through the core training loop: the loss falls, and the run resumes. */
class MnistRunTest {

    @TempDir Path tmp;

    private static TrainingLoop loop(
            NDManager m, SampleSet data, RunFolder run, long steps, boolean resume) {
        Seeds.seed(3);
        ModelSpec spec =
                new ModelSpec("unet", "cpu", 1, 28, 28, 10, "linear", 1000, Prediction.EPSILON);
        Block net = spec.build(m);
        DiffusionTrainer task =
                DiffusionTrainer.builder()
                        .setModel(spec, net)
                        .setData(BatchSource.shuffled(data, 16, 3))
                        .setManager(m)
                        .optLearningRate(1e-3f)
                        .optSamples(10, 5, 1, 3f)
                        .build();
        return TrainingLoop.builder()
                .setTask(task)
                .setSteps(steps)
                .setRunFolder(run)
                .setSeed(3)
                .setManager(m)
                .optLogEvery(2)
                .optSampleEvery(0)
                .optCheckpointEvery(6)
                .optResume(resume)
                .optProgressBar(false)
                .optOutput(new PrintStream(new ByteArrayOutputStream()))
                .build();
    }

    @Test
    void shortConditionalRunLowersTheLossAndResumes() throws Exception {
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(512).build();
        try (NDManager m = NDManager.newBaseManager()) {
            // the whole set on the device: each batch is one gather there
            SampleSet data = mnist.inMemory(m);
            RunFolder run = RunFolder.create(tmp.resolve("run"), Map.of("test", "mnist"));
            LossHistory h = loop(m, data, run, 12, false).fit();
            java.util.List<Float> mse = h.series("mse");
            System.out.println("mnist mse " + mse);
            assertThat(mse).hasSize(6);
            float early = (mse.get(0) + mse.get(1)) / 2;
            float late = (mse.get(4) + mse.get(5)) / 2;
            assertThat(late).isLessThan(early);
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(12);
            // a built-in network: the run folder holds what rebuilds it
            ModelSpec back = ModelSpec.fromConfig(run.config());
            assertThat(back)
                    .isEqualTo(
                            new ModelSpec(
                                    "unet",
                                    "cpu",
                                    1,
                                    28,
                                    28,
                                    10,
                                    "linear",
                                    1000,
                                    Prediction.EPSILON));
            LossHistory resumed = loop(m, data, run, 14, true).fit();
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(14);
            assertThat(resumed.series("mse")).hasSize(7);
            Path samples = run.samplesDir();
            assertThat(Files.isDirectory(samples)).isTrue();
        }
    }
}
