package org.genlab.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.testing.TinyTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {

    @TempDir Path dir;

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            RunFolder run = RunFolder.create(dir.resolve("run"), Map.of());
            TinyTask task = new TinyTask(m, 3, 8, 23);
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setSteps(100)
                            .setRunFolder(run)
                            .setManager(m)
                            .optLogEvery(5)
                            .optCheckpointEvery(10)
                            .optProgressBar(false)
                            .build();
            assertThatThrownBy(loop::fit)
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("'mse' became NaN at step 25")
                    .hasMessageContaining("last good checkpoint (step 20)");
            Checkpoint cp =
                    Checkpoint.load(run.checkpointFile(), new TinyTask(m, 3, 8, -1).state());
            assertThat(cp.getStep()).isEqualTo(20);
            assertThat(Files.readString(run.lossesCsv())).startsWith("step,mse").contains("\n20,");
        }
    }

    @Test
    void logsEveryNStepsWritesTheChartAndSamplesAndStopsOnRequest() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            RunFolder run = RunFolder.create(dir.resolve("run"), Map.of("model", "tiny"));
            List<Long> sampled = new ArrayList<>();
            TinyTask inner = new TinyTask(m, 3, 8, -1);
            TrainingTask task =
                    new TrainingTask() {
                        @Override
                        public Losses step(long step, NDManager manager) {
                            return inner.step(step, manager);
                        }

                        @Override
                        public org.genlab.core.checkpoint.TrainState state() {
                            return inner.state();
                        }

                        @Override
                        public void writeSamples(long step, Path folder) {
                            sampled.add(step);
                        }
                    };
            List<Long> logged = new ArrayList<>();
            TrainingLoop[] holder = new TrainingLoop[1];
            holder[0] =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setSteps(1000)
                            .setRunFolder(run)
                            .setManager(m)
                            .optLogEvery(4)
                            .optSampleEvery(10)
                            .optProgressBar(false)
                            .optOutput(new PrintStream(new ByteArrayOutputStream()))
                            .addListener(
                                    new TrainingListener() {
                                        @Override
                                        public void onLog(long step, Map<String, Float> losses) {
                                            logged.add(step);
                                            if (step == 40) {
                                                holder[0].requestStop();
                                            }
                                        }
                                    })
                            .build();
            LossHistory h = holder[0].fit();
            assertThat(holder[0].wasInterrupted()).isTrue();
            assertThat(logged).startsWith(4L, 8L, 12L).endsWith(40L);
            assertThat(sampled).containsExactly(10L, 20L, 30L, 40L);
            assertThat(h.size()).isEqualTo(10);
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(40);
            assertThat(Files.size(run.lossChart())).isGreaterThan(1000);
            assertThat(run.config()).containsEntry("model", "tiny");
        }
    }
}
