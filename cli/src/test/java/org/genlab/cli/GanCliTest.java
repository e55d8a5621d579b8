package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.image.PngWriter;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.gan.GanModels;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.sample.GanSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A short DCGAN run on real MNIST, through the command a student types. */
class GanCliTest {

    @TempDir Path dir;

    private static int run(String... args) {
        CommandLine cl = GenLabCommand.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        assertThat(err.toString())
                .as("stderr of %s", String.join(" ", args))
                .doesNotContain("genlab:");
        return status;
    }

    /** Share of pixels near black (below -0.8) and bright (above 0.5) in G's samples. */
    private static double[] histogram(Path runDir, boolean trained) {
        RunFolder folder = RunFolder.open(runDir);
        GanModels models = GanModels.fromConfig(folder.config());
        try (NDManager m = NDManager.newBaseManager()) {
            Generator g = models.generator();
            g.initialize(m);
            if (trained) {
                Checkpoint.loadNetwork(folder.checkpointFile(), models.kind(), "G", g, true);
            }
            Seeds.seed(5);
            NDArray x = GanSampler.builder().setGenerator(g).build().sample(m, 256, null, 0);
            float[] v = x.toFloatArray();
            int dark = 0;
            int bright = 0;
            for (float f : v) {
                dark += f < -0.8f ? 1 : 0;
                bright += f > 0.5f ? 1 : 0;
            }
            return new double[] {dark / (double) v.length, bright / (double) v.length};
        }
    }

    @Test
    void dcganOnMnistMovesAwayFromNoiseAndResumes() throws Exception {
        Path runDir = dir.resolve("dcgan");
        String[] common = {
            "train",
            "gan",
            "--dataset",
            "mnist",
            "--model",
            "dcgan",
            "--limit",
            "4096",
            "--batch",
            "32",
            "--width",
            "16",
            "--run",
            runDir.toString(),
            "--no-progress",
            "--checkpoint-every",
            "100",
            "--sample-every",
            "100"
        };
        String[] first = concat(common, "--steps", "100");
        assertThat(run(first)).isZero();
        assertThat(Checkpoint.inspect(runDir.resolve("checkpoint.zip")).getStep()).isEqualTo(100);
        assertThat(run(concat(common, "--steps", "200", "--resume"))).isZero();
        Checkpoint cp = Checkpoint.inspect(runDir.resolve("checkpoint.zip"));
        assertThat(cp.getStep()).isEqualTo(200);
        assertThat(cp.getHistory().steps()).contains(25L, 100L, 125L, 200L);

        double[] before = histogram(runDir, false);
        double[] after = histogram(runDir, true);
        System.out.printf(
                "dcgan mnist: dark %.3f -> %.3f, bright %.3f -> %.3f%n",
                before[0], after[0], before[1], after[1]);
        // MNIST: ~80 % of pixels are black background, ~10 % bright strokes
        assertThat(after[0]).isGreaterThan(0.5).isGreaterThan(before[0] + 0.3);
        assertThat(after[1]).isGreaterThan(0.02);

        Path grid = runDir.resolve("samples").resolve("step-0000200.png");
        assertThat(grid).exists();
        assertThat(PngWriter.readText(grid)).containsKey("DigitalSourceType");
        assertThat(Files.size(runDir.resolve("losses.png"))).isGreaterThan(1000);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
