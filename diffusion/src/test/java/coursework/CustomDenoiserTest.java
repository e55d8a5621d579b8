package coursework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.nn.TimeEmbedding;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coursework, written as a student writes it, with GenLab's public API only (this package is not
 * GenLab's): a denoiser of my own, trained on 1×8×8 images, checkpointed, resumed and sampled.
 */
class CustomDenoiserTest {

    /** ε_θ(x_t, t) — here v_θ — for 1×8×8 images: conv, plus the step embedding, SiLU, conv. */
    static final class TinyDenoiser extends LazyBlock {
        private final Block conv1 = addChildBlock("conv1", conv3x3(16));
        private final Block time = addChildBlock("time", Linear.builder().setUnits(16).build());
        private final Block conv2 = addChildBlock("conv2", conv3x3(1));

        private static Block conv3x3(int filters) {
            return Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(filters)
                    .build();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            NDArray emb =
                    Children.call(time, ps, training, TimeEmbedding.sinusoidal(in.get(1), 32));
            NDArray h = Children.call(conv1, ps, training, in.get(0));
            h = Scalars.silu(h.add(emb.reshape(-1, 16, 1, 1)));
            return new NDList(Children.call(conv2, ps, training, h));
        }
    }

    @TempDir Path tmp;

    private static TinyDenoiser newNetwork(NDManager m) {
        TinyDenoiser net = new TinyDenoiser();
        net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 8, 8), new Shape(2));
        return net;
    }

    private static DiffusionTrainer trainer(NDManager m, SampleSet images) {
        return DiffusionTrainer.builder()
                .setDenoiser(newNetwork(m))
                .setSampleShape(new Shape(1, 8, 8))
                .optPrediction(Prediction.V)
                .optSchedule(NoiseSchedule.cosine(100))
                .setData(BatchSource.shuffled(images, 16, 11))
                .setManager(m)
                .optLearningRate(1e-3f)
                .optSamples(8, 5, 1, 3f)
                .build();
    }

    private static LossHistory train(
            DiffusionTrainer task, RunFolder run, NDManager m, long steps, boolean resume) {
        return TrainingLoop.builder()
                .setTask(task)
                .setSteps(steps)
                .setRunFolder(run)
                .setSeed(11)
                .setManager(m)
                .optLogEvery(1)
                .optSampleEvery(3)
                .optCheckpointEvery(3)
                .optResume(resume)
                .optProgressBar(false)
                .optOutput(new PrintStream(OutputStream.nullOutputStream()))
                .build()
                .fit();
    }

    @Test
    void myDenoiserTrainsResumesAndSamples() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(11);
            SampleSet images = SampleSet.of(m.randomUniform(-1f, 1f, new Shape(64, 1, 8, 8)), null);
            RunFolder run = RunFolder.create(tmp.resolve("tiny"));
            train(trainer(m, images), run, m, 6, false);
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(6);
            assertThat(run.samplesDir().resolve("step-0000003.png")).isRegularFile();
            assertThat(run.samplesDir().resolve("step-0000006.png")).isRegularFile();

            // the run folder says what was trained, and the CLI says how to sample it
            Map<String, String> config = run.config();
            assertThat(config)
                    .containsEntry("network", "custom")
                    .containsEntry("networkClass", "coursework.CustomDenoiserTest$TinyDenoiser")
                    .containsEntry("channels", "1")
                    .containsEntry("height", "8")
                    .containsEntry("width", "8")
                    .containsEntry("classes", "0")
                    .containsEntry("schedule", "cosine")
                    .containsEntry("timesteps", "100")
                    .containsEntry("prediction", "v")
                    .containsEntry("seed", "11");
            assertThatThrownBy(() -> ModelSpec.fromConfig(config))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageStartingWith(
                            "This run holds a custom denoiser"
                                    + " (coursework.CustomDenoiserTest$TinyDenoiser) that GenLab"
                                    + " cannot rebuild; sample it from code")
                    .hasMessageContaining("Checkpoint.loadNetwork")
                    .hasMessageContaining("Denoiser.of(block, Prediction.V)")
                    .hasMessageContaining("see README, Extend GenLab")
                    .hasMessageNotContaining("\n");

            // a fresh network and trainer continue from the saved step
            DiffusionTrainer resumed = trainer(m, images);
            LossHistory history = train(resumed, run, m, 9, true);
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(9);
            assertThat(history.steps()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

            // sample the checkpoint from code, as the message says: the EMA weights come back
            TinyDenoiser loaded = newNetwork(m);
            Checkpoint.loadNetwork(
                    run.checkpointFile(),
                    DiffusionTrainer.MODEL,
                    DiffusionTrainer.NETWORK,
                    loaded,
                    true);
            Sampler ddim =
                    DdimSampler.builder()
                            .setSchedule(NoiseSchedule.cosine(100))
                            .optSteps(10)
                            .build();
            Shape four = new Shape(4, 1, 8, 8);
            Seeds.seed(5);
            NDArray x = ddim.sample(Denoiser.of(loaded, Prediction.V), m, four, null);
            NDArray fromEma =
                    resumed.ema()
                            .withWeights(
                                    () -> {
                                        Seeds.seed(5);
                                        return ddim.sample(resumed.denoiser(), m, four, null);
                                    });
            assertThat(x.getShape()).isEqualTo(four);
            assertThat(x.abs().max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(x.allClose(fromEma, 1e-5, 1e-6, false)).isTrue();
        }
    }
}
