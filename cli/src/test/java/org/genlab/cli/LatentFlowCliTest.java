package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.latent.LatentDiffusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow matching and latent diffusion through the command line, on real MNIST: an autoencoder, a
 * class-conditional flow model on its latents, then everything downstream — sample (Euler, Heun,
 * the GIF), inpaint and compare — and the one-line refusals of flags that do not fit the run.
 */
class LatentFlowCliTest {

    @TempDir Path dir;

    @Test
    void aLatentFlowRunTrainsSamplesInpaintsAndCompares() throws Exception {
        Path ae = dir.resolve("ae");
        String[] a =
                CliRun.run(
                        "train",
                        "autoencoder",
                        "--dataset",
                        "mnist",
                        "--limit",
                        "512",
                        "--steps",
                        "6",
                        "--batch",
                        "32",
                        "--eval-images",
                        "64",
                        "--no-progress",
                        "--run",
                        ae.toString());
        assertThat(a[0]).as(a[2]).isEqualTo("0");

        Path flow = dir.resolve("flow");
        String[] t =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--latent",
                        ae.toString(),
                        "--objective",
                        "flow",
                        "--conditional",
                        "--limit",
                        "512",
                        "--steps",
                        "4",
                        "--batch",
                        "16",
                        "--sample-every",
                        "4",
                        "--no-progress",
                        "--run",
                        flow.toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        RunFolder folder = RunFolder.open(flow);
        assertThat(folder.config())
                .containsEntry("prediction", "flow")
                .containsEntry("schedule", "flow")
                .containsEntry("preset", "latent")
                .containsEntry("channels", "4")
                .containsEntry("height", "7")
                .containsEntry("dataset", "mnist")
                .containsKey(LatentDiffusion.SCALE_KEY)
                .containsEntry(LatentDiffusion.RUN_KEY, ae.toAbsolutePath().normalize().toString());
        // progress pictures are decoded images: 10 columns of 28×28 at scale 2
        BufferedImage progress =
                ImageIO.read(folder.samplesDir().resolve("step-0000004.png").toFile());
        assertThat(progress.getWidth()).isGreaterThanOrEqualTo(10 * 56);
        assertThat(folder.samplesDir().resolve("forward-strip.png")).isRegularFile();

        String[] euler =
                CliRun.run("sample", "diffusion", "--run", flow.toString(), "--n", "10", "--gif");
        assertThat(euler[0]).as(euler[2]).isEqualTo("0");
        assertThat(folder.samplesDir().resolve("euler-50.png")).isRegularFile();
        assertThat(folder.samplesDir().resolve("euler-50-trajectory.gif")).isRegularFile();
        assertThat(ImageIO.read(folder.samplesDir().resolve("euler-50.png").toFile()).getWidth())
                .isGreaterThanOrEqualTo(10 * 56);
        String[] heun =
                CliRun.run(
                        "sample",
                        "diffusion",
                        "--run",
                        flow.toString(),
                        "--sampler",
                        "heun",
                        "--steps",
                        "3",
                        "--class",
                        "7",
                        "--n",
                        "4");
        assertThat(heun[0]).as(heun[2]).isEqualTo("0");
        assertThat(folder.samplesDir().resolve("heun-3.png")).isRegularFile();

        String[] ddim =
                CliRun.run("sample", "diffusion", "--run", flow.toString(), "--sampler", "ddim");
        assertThat(ddim[0]).isEqualTo("2");
        assertThat(ddim[2].strip())
                .isEqualTo(
                        "genlab: This run is a flow-matching model: sample it with euler or heun,"
                                + " not ddim.");
        String[] nan =
                CliRun.run("sample", "diffusion", "--run", flow.toString(), "--guidance", "NaN");
        assertThat(nan[0]).isEqualTo("2");
        assertThat(nan[2].strip().lines()).hasSize(1);

        Path digit = dir.resolve("digit.png");
        ImageIO.write(
                ImageIO.read(folder.samplesDir().resolve("euler-50.png").toFile())
                        .getSubimage(0, 0, 28, 28),
                "png",
                digit.toFile());
        String[] inpaint =
                CliRun.run(
                        "inpaint",
                        "--run",
                        flow.toString(),
                        "--image",
                        digit.toString(),
                        "--mask",
                        "right",
                        "--steps",
                        "4",
                        "--resample",
                        "1",
                        "--n",
                        "2");
        assertThat(inpaint[0]).as(inpaint[2]).isEqualTo("0");
        assertThat(inpaint[1]).contains("latent grid");
        assertThat(folder.samplesDir().resolve("inpaint.png")).isRegularFile();

        Path report = dir.resolve("report");
        String[] compare =
                CliRun.run(
                        "compare",
                        "--runs",
                        flow.toString(),
                        "--out",
                        report.toString(),
                        "--n",
                        "200",
                        "--speed-batch",
                        "2");
        assertThat(compare[0]).as(compare[2]).isEqualTo("0");
        String json = java.nio.file.Files.readString(report.resolve("report.json"));
        assertThat(json).contains("Latent flow matching").contains("Euler-50").contains("Heun-10");
    }

    @Test
    void flowFlagsThatDoNotFitAreRefusedWithOneLine() {
        String[] schedule =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "ring",
                        "--objective",
                        "flow",
                        "--schedule",
                        "cosine",
                        "--run",
                        dir.resolve("x").toString());
        assertThat(schedule[0]).isEqualTo("2");
        assertThat(schedule[2]).contains("--schedule does not apply to --objective flow");
        String[] missing =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--latent",
                        dir.resolve("none").toString(),
                        "--objective",
                        "flow",
                        "--run",
                        dir.resolve("y").toString());
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2]).contains("is not a folder").contains("train autoencoder");
        String[] objective =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "ring",
                        "--objective",
                        "score",
                        "--run",
                        dir.resolve("z").toString());
        assertThat(objective[0]).isEqualTo("2");
        assertThat(objective[2]).contains("use ddpm or flow");
    }

    @Test
    void aToyFlowRunDrawsItsVelocityField() {
        Path toy = dir.resolve("moons");
        String[] r =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "moons",
                        "--objective",
                        "flow",
                        "--limit",
                        "256",
                        "--batch",
                        "32",
                        "--steps",
                        "5",
                        "--no-progress",
                        "--run",
                        toy.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        Path samples = toy.resolve("samples");
        assertThat(samples.resolve("velocity-s050.png")).isRegularFile();
        assertThat(samples.resolve("forward.gif")).isRegularFile();
        assertThat(samples.resolve("reverse.gif")).isRegularFile();
    }
}
