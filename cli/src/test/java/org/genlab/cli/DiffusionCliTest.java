package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.diffusion.nn.MlpDenoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code genlab train diffusion} on a 2D toy set, and what the commands that draw images say about
 * runs they cannot draw: a 2D model, and a run of a custom denoiser trained from code.
 */
class DiffusionCliTest {

    @TempDir Path dir;

    private static String[] run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void toyRunTrainsResumesAndIsNotDrawnAsImages() throws Exception {
        Path toy = dir.resolve("ring");
        String[] common = {
            "train",
            "diffusion",
            "--dataset",
            "ring",
            "--limit",
            "256",
            "--batch",
            "32",
            "--timesteps",
            "20",
            "--checkpoint-every",
            "2",
            "--no-progress",
            "--run",
            toy.toString()
        };
        String[] first = run(concat(common, "--steps", "4"));
        assertThat(first[0]).as(first[2]).isEqualTo("0");
        RunFolder folder = RunFolder.open(toy);
        assertThat(folder.config())
                .containsEntry("network", "mlp")
                .containsEntry("batch", "32")
                .containsEntry("items", "256")
                .containsEntry("lr", "0.001");
        assertThat(ModelSpec.fromConfig(folder.config()))
                .isEqualTo(
                        new ModelSpec("mlp", "cpu", 2, 1, 1, 0, "linear", 20, Prediction.EPSILON));
        assertThat(folder.samplesDir().resolve("step-0000004.png")).isRegularFile();
        assertThat(folder.samplesDir().resolve("reverse.gif")).isRegularFile();

        String[] resumed = run(concat(common, "--steps", "6", "--resume"));
        assertThat(resumed[0]).as(resumed[2]).isEqualTo("0");
        assertThat(Checkpoint.inspect(folder.checkpointFile()).getStep()).isEqualTo(6);

        String[] sample = run("sample", "diffusion", "--run", toy.toString());
        assertThat(sample[0]).isEqualTo("2");
        assertThat(sample[2]).contains("this run is a 2D model (mlp)");
        String[] inpaint = run("inpaint", "--run", toy.toString(), "--image", png().toString());
        assertThat(inpaint[0]).isEqualTo("2");
        assertThat(inpaint[2]).contains("inpaint completes images; this run is a 2D model (mlp)");
    }

    @Test
    void aCustomDenoiserRunIsRefusedWithOneLine() throws Exception {
        Path custom = dir.resolve("custom");
        try (NDManager m = NDManager.newBaseManager()) {
            // the built-in MLP given as any block: GenLab does not know how it was built
            MlpDenoiser net = new MlpDenoiser(2, 16, 1, 8);
            net.initialize(m);
            DiffusionTrainer task =
                    DiffusionTrainer.builder()
                            .setDenoiser(net)
                            .setSampleShape(new Shape(2))
                            .optSchedule(NoiseSchedule.linear(20))
                            .setData(
                                    BatchSource.shuffled(
                                            SampleSet.of(m.randomNormal(new Shape(64, 2)), null),
                                            16,
                                            1))
                            .setManager(m)
                            .build();
            TrainingLoop.builder()
                    .setTask(task)
                    .setSteps(2)
                    .setRunFolder(RunFolder.create(custom))
                    .setManager(m)
                    .optProgressBar(false)
                    .optOutput(new PrintStream(new ByteArrayOutputStream()))
                    .build()
                    .fit();
        }
        String expected =
                "genlab: This run holds a custom denoiser (org.genlab.diffusion.nn.MlpDenoiser)"
                        + " that GenLab cannot rebuild; sample it from code";
        String[][] refusals = {
            run("sample", "diffusion", "--run", custom.toString()),
            run("inpaint", "--run", custom.toString(), "--image", png().toString()),
            run("compare", "--runs", custom.toString(), "--out", dir.resolve("r").toString())
        };
        for (String[] r : refusals) {
            assertThat(r[0]).as(r[2]).isEqualTo("2");
            assertThat(r[2]).startsWith(expected).contains("Extend GenLab");
            assertThat(r[2].strip().lines()).hasSize(1);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A real (blank) PNG for the commands that read one. */
    private Path png() throws java.io.IOException {
        Path p = dir.resolve("x.png");
        if (!java.nio.file.Files.exists(p)) {
            javax.imageio.ImageIO.write(
                    new java.awt.image.BufferedImage(
                            28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                    "png",
                    p.toFile());
        }
        return p;
    }
}
