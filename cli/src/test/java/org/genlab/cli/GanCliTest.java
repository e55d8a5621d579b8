package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.image.PngWriter;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.nn.MlpDiscriminator;
import org.genlab.gan.train.GanTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short DCGAN run on real MNIST, through the command a student types; and a run of a student's
 * own networks, which the commands refuse in one line that says how to sample it from code.
 */
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

    /** Share of dark (below 64 of 255) and bright (above 160) pixels of a sample PNG. */
    private static double[] histogram(Path png) {
        java.awt.image.BufferedImage img = PngWriter.read(png);
        int dark = 0;
        int bright = 0;
        int all = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int v = img.getRGB(x, y) & 0xFF;
                dark += v < 64 ? 1 : 0;
                bright += v > 160 ? 1 : 0;
                all++;
            }
        }
        return new double[] {dark / (double) all, bright / (double) all};
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
        assertThat(run(concat(common, "--steps", "100"))).isZero();
        assertThat(Checkpoint.inspect(runDir.resolve("checkpoint.zip")).getStep()).isEqualTo(100);
        assertThat(run(concat(common, "--steps", "200", "--resume"))).isZero();
        Checkpoint cp = Checkpoint.inspect(runDir.resolve("checkpoint.zip"));
        assertThat(cp.getStep()).isEqualTo(200);
        assertThat(cp.getHistory().steps()).contains(25L, 100L, 125L, 200L);

        // samples of the trained generator, drawn the way a student draws them
        Path png = runDir.resolve("sample.png");
        assertThat(
                        run(
                                "sample",
                                "gan",
                                "--run",
                                runDir.toString(),
                                "--n",
                                "64",
                                "--out",
                                png.toString()))
                .isZero();
        double[] after = histogram(png);
        System.out.printf("dcgan mnist: dark %.3f, bright %.3f%n", after[0], after[1]);
        // the discriminator learned to tell real from generated: its loss fell from ln 4
        java.util.List<Float> d = cp.getHistory().series("D");
        assertThat(d.get(d.size() - 1)).isLessThan(1.35f);

        Path grid = runDir.resolve("samples").resolve("step-0000200.png");
        assertThat(grid).exists();
        assertThat(PngWriter.readText(grid)).containsKey("DigitalSourceType");
        assertThat(Files.size(runDir.resolve("losses.png"))).isGreaterThan(1000);
    }

    @Test
    void aRunOfCustomNetworksIsRefusedInOneLineByEveryCommandThatRebuildsIt() {
        Path runDir = dir.resolve("custom");
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock body =
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(16).build())
                            .add(Activation::relu)
                            .add(Linear.builder().setUnits(2).build());
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(m)
                            .setGenerator(
                                    Generator.builder()
                                            .setBody(body)
                                            .setLatentDim(4)
                                            .setSampleShape(new Shape(2))
                                            .build())
                            .setDiscriminator(
                                    MlpDiscriminator.builder()
                                            .setSampleShape(new Shape(2))
                                            .optWidth(16)
                                            .build())
                            .setData(ToyDataset.byName("ring", 256, 1), 32)
                            .build();
            TrainingLoop.builder()
                    .setTask(gan)
                    .setManager(m)
                    .setSteps(3)
                    .setRunFolder(RunFolder.create(runDir))
                    .optProgressBar(false)
                    .build()
                    .fit();
        }
        String[][] commands = {
            {"sample", "gan", "--run", runDir.toString()},
            {"interpolate", "--run", runDir.toString()},
            {"compare", "--runs", runDir.toString(), "--out", dir.resolve("cmp").toString()}
        };
        for (String[] args : commands) {
            CommandLine cl = GenLabCommand.newCommandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute(args)).as(args[0]).isEqualTo(2);
            assertThat(err.toString().strip())
                    .as(args[0])
                    .startsWith("genlab: This run holds a custom GAN")
                    .contains(
                            "ai.djl.nn.SequentialBlock", "Checkpoint.loadNetwork(", "Extend GenLab")
                    .doesNotContain("\n", "Exception");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aCollapsedRunIsSaidOnceWithTheCures() throws Exception {
        String[] r =
                CliRun.run(
                        "train",
                        "gan",
                        "--dataset",
                        "mnist",
                        "--limit",
                        "2048",
                        "--lr",
                        "1",
                        "--steps",
                        "150",
                        "--sample-every",
                        "0",
                        "--no-progress",
                        "--run",
                        dir.resolve("collapsed").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String losses = Files.readString(dir.resolve("collapsed").resolve("losses.csv"));
        assertThat(r[1].split("discriminator has won outright", -1)).as(losses).hasSize(2);
        assertThat(r[1]).contains("--lr").contains("--spectral-norm");
    }
}
