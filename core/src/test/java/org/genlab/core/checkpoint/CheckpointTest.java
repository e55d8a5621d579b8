package org.genlab.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Params;
import org.genlab.core.testing.TinyTask;
import org.genlab.core.train.LossHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir Path dir;

    @Test
    void saveThenLoadRestoresParametersAndHistory() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            LossHistory h = new LossHistory();
            h.add(10, Map.of("mse", 0.5f));
            Path f = dir.resolve("checkpoint.zip");
            Checkpoint.save(f, a.state(), 10, 99, Map.of("lr", "0.01"), h);

            TinyTask b = new TinyTask(m, 2, 16, -1); // different initial weights
            Checkpoint cp = Checkpoint.load(f, b.state());
            assertThat(cp.getStep()).isEqualTo(10);
            assertThat(cp.getSeed()).isEqualTo(99);
            assertThat(cp.getConfig()).containsEntry("lr", "0.01");
            assertThat(cp.getHistory().series("mse")).containsExactly(0.5f);
            Map<String, NDArray> pa = Params.arrays(a.net());
            Map<String, NDArray> pb = Params.arrays(b.net());
            assertThat(pb.keySet()).isEqualTo(pa.keySet());
            for (String k : pa.keySet()) {
                assertThat(pb.get(k).toFloatArray()).containsExactly(pa.get(k).toFloatArray());
            }
        }
    }

    @Test
    void missingTruncatedAndForeignCheckpointsAreClearErrors() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            assertThatThrownBy(() -> Checkpoint.load(dir.resolve("nope.zip"), a.state()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("No checkpoint at");

            Path f = dir.resolve("checkpoint.zip");
            Checkpoint.save(f, a.state(), 3, 1, Map.of(), new LossHistory());
            byte[] bytes = Files.readAllBytes(f);
            Path cut = dir.resolve("cut.zip");
            Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
            assertThatThrownBy(() -> Checkpoint.load(cut, a.state()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("damaged");

            TinyTask wider = new TinyTask(m, 1, 32, -1);
            assertThatThrownBy(() -> Checkpoint.load(f, wider.state()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("shape");

            TrainState other =
                    TrainState.builder()
                            .setModel("dcgan")
                            .addNetwork("G", a.net(), null, null)
                            .build();
            assertThatThrownBy(() -> Checkpoint.load(f, other))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("'tiny' model, not 'dcgan'");
        }
    }

    /**
     * A child JVM saves a large checkpoint in a loop; it is killed (SIGKILL) at random moments,
     * mid-write most of the time. Each time, the file left behind loads.
     */
    @Test
    void killDuringWriteLeavesTheLastCheckpointLoadable() throws Exception {
        Path f = dir.resolve("checkpoint.zip");
        Random random = new Random(5);
        long lastSeen = 0;
        for (int round = 0; round < 3; round++) {
            Process p =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Dai.djl.offline=true",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    CheckpointWriterMain.class.getName(),
                                    f.toString())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int saves = 0;
            while ((line = out.readLine()) != null && saves < 2) {
                if (line.startsWith("saved")) {
                    saves++;
                }
            }
            assertThat(saves).as("child saved twice before the kill").isEqualTo(2);
            Thread.sleep(random.nextInt(150));
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (NDManager m = NDManager.newBaseManager()) {
                TinyTask t = new TinyTask(m, 3, 4096, -1);
                Checkpoint cp = Checkpoint.load(f, t.state());
                assertThat(cp.getStep()).isGreaterThanOrEqualTo(2);
                assertThat(cp.getConfig()).containsEntry("k", "v");
                lastSeen = cp.getStep();
            }
        }
        assertThat(lastSeen).isPositive();
        List<Path> left = Files.list(dir).toList();
        assertThat(left).contains(f);
    }
}
