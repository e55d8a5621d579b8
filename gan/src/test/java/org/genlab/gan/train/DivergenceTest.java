package org.genlab.gan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.nn.Params;
import org.genlab.core.train.Losses;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingDivergedException;
import org.genlab.core.train.TrainingLoop;
import org.genlab.core.train.TrainingTask;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.nn.MlpDiscriminator;
import org.genlab.gan.nn.MlpGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN injected into the generator stops the run with a message and keeps the checkpoint. */
class DivergenceTest {

    @TempDir Path dir;

    @Test
    void aNanStopsTheRunAndKeepsTheLastGoodCheckpoint() {
        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(m)
                            .setGenerator(
                                    MlpGenerator.builder()
                                            .setSampleShape(new Shape(2))
                                            .optLatentDim(4)
                                            .optWidth(16)
                                            .build())
                            .setDiscriminator(
                                    MlpDiscriminator.builder()
                                            .setSampleShape(new Shape(2))
                                            .optWidth(16)
                                            .build())
                            .setData(new Ring(0.05f).source(32))
                            .optLoss(GanLoss.nonSaturating())
                            .optModelName("mlp-gan")
                            .optSeed(1)
                            .build();
            // From step 33 on, one weight of G holds NaN: a real NaN flows into both losses.
            TrainingTask poisoned =
                    new TrainingTask() {
                        @Override
                        public Losses step(long step, NDManager manager) {
                            if (step == 33) {
                                Params.named(gan.generator())
                                        .values()
                                        .iterator()
                                        .next()
                                        .getArray()
                                        .muli(Float.NaN);
                            }
                            return gan.step(step, manager);
                        }

                        @Override
                        public TrainState state() {
                            return gan.state();
                        }
                    };
            RunFolder run = RunFolder.create(dir.resolve("run"), Map.of("dataset", "ring"));
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(poisoned)
                            .setManager(m)
                            .setSteps(200)
                            .setRunFolder(run)
                            .optLogEvery(5)
                            .optCheckpointEvery(20)
                            .optProgressBar(false)
                            .build();
            assertThatThrownBy(loop::fit)
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("became NaN at step 35")
                    .hasMessageContaining("last good checkpoint (step 20)");
            Checkpoint cp = Checkpoint.inspect(run.checkpointFile());
            assertThat(cp.getStep()).isEqualTo(20);
            assertThat(cp.getModel()).isEqualTo(gan.state().getModel());
        }
    }
}
