package org.genlab.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.nn.Params;
import org.genlab.core.testing.TinyTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {

    @TempDir Path dir;

    private static TrainingLoop loop(TinyTask task, RunFolder run, long steps, NDManager m) {
        return TrainingLoop.builder()
                .setTask(task)
                .setSteps(steps)
                .setRunFolder(run)
                .setSeed(11)
                .setManager(m)
                .optLogEvery(5)
                .optResume(true)
                .optProgressBar(false)
                .optOutput(new PrintStream(new ByteArrayOutputStream()))
                .build();
    }

    @Test
    void twoNStepsEqualNStepsThenResumeThenN() {
        try (NDManager m = NDManager.newBaseManager()) {
            RunFolder straight = RunFolder.create(dir.resolve("straight"), Map.of("seed", "11"));
            TinyTask a = new TinyTask(m, 11, 16, -1);
            LossHistory ha = loop(a, straight, 40, m).fit();

            RunFolder split = RunFolder.create(dir.resolve("split"), Map.of("seed", "11"));
            TinyTask b1 = new TinyTask(m, 11, 16, -1);
            loop(b1, split, 20, m).fit();
            // a fresh process would build the model anew: different initial weights on purpose
            TinyTask b2 = new TinyTask(m, 999, 16, -1);
            LossHistory hb = loop(b2, split, 40, m).fit();

            Map<String, NDArray> pa = Params.arrays(a.net());
            Map<String, NDArray> pb = Params.arrays(b2.net());
            for (String k : pa.keySet()) {
                assertThat(pb.get(k).toFloatArray())
                        .as(k)
                        .containsExactly(pa.get(k).toFloatArray());
            }
            Map<String, NDArray> ea = a.state().getEmas().get("net").state();
            Map<String, NDArray> eb = b2.state().getEmas().get("net").state();
            for (String k : ea.keySet()) {
                assertThat(eb.get(k).toFloatArray())
                        .as(k)
                        .containsExactly(ea.get(k).toFloatArray());
            }
            assertThat(hb.steps()).isEqualTo(ha.steps());
            assertThat(hb.series("mse")).isEqualTo(ha.series("mse"));
            // and training did something: the loss fell
            assertThat(ha.series("mse").get(ha.size() - 1)).isLessThan(ha.series("mse").get(0));
        }
    }
}
