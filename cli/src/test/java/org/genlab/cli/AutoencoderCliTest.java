package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code genlab train autoencoder} on real MNIST for a few steps: the run folder holds what latent
 * diffusion needs (checkpoint, latent.scale) and the reconstruction grid; bad flags are refused in
 * one line.
 */
class AutoencoderCliTest {

    @TempDir Path dir;

    @Test
    void aShortRunWritesCheckpointScaleAndGrid() {
        Path ae = dir.resolve("ae");
        String[] r =
                CliRun.run(
                        "train",
                        "autoencoder",
                        "--dataset",
                        "mnist",
                        "--limit",
                        "256",
                        "--batch",
                        "32",
                        "--steps",
                        "4",
                        "--scale-images",
                        "128",
                        "--eval-images",
                        "64",
                        "--no-progress",
                        "--run",
                        ae.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("latent.scale = ").contains("Reconstruction PSNR on 64");
        RunFolder folder = RunFolder.open(ae);
        assertThat(folder.config())
                .containsKey("latent.scale")
                .containsKey("eval.psnr")
                .containsEntry("autoencoder.bottleneck", "kl")
                .containsEntry("autoencoder.latentChannels", "4")
                .containsEntry("dataset", "mnist")
                .containsEntry("batch", "32");
        assertThat(Float.parseFloat(folder.config().get("latent.scale"))).isPositive();
        assertThat(Checkpoint.inspect(folder.checkpointFile()).getStep()).isEqualTo(4);
        assertThat(ae.resolve("reconstructions.png")).isRegularFile();
        assertThat(folder.samplesDir().resolve("step-0000004.png")).isRegularFile();
    }

    @Test
    void aShortVqRunRecordsItsCodebookAndReportsItsUse() {
        Path vq = dir.resolve("vq");
        String[] r =
                CliRun.run(
                        "train",
                        "autoencoder",
                        "--dataset",
                        "mnist",
                        "--bottleneck",
                        "vq",
                        "--codebook",
                        "32",
                        "--limit",
                        "256",
                        "--batch",
                        "32",
                        "--steps",
                        "4",
                        "--scale-images",
                        "128",
                        "--eval-images",
                        "64",
                        "--no-progress",
                        "--run",
                        vq.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("VQ(K=32")
                .contains("Codebook on 64 test images' 3136 tokens: ")
                .contains("perplexity");
        RunFolder folder = RunFolder.open(vq);
        assertThat(folder.config())
                .containsEntry("autoencoder.bottleneck", "vq")
                .containsEntry("autoencoder.codebookSize", "32")
                .containsKey("eval.codebookUsage")
                .containsKey("eval.perplexity")
                .doesNotContainKey("autoencoder.klWeight");
        assertThat(folder.lossesCsv()).content().contains("usage").contains("perplexity");
        String[] again =
                CliRun.run(
                        "train",
                        "autoencoder",
                        "--resume",
                        "--codebook",
                        "64",
                        "--run",
                        vq.toString());
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[2]).contains("--codebook").contains("32");
    }

    @Test
    void badFlagsAreRefusedInOneLine() {
        String[][] bad = {
            {"--kl-weight", "-1"},
            {"--lr", "NaN"},
            {"--steps", "0"},
            {"--width", "0"},
            {"--latent-channels", "0"},
            {"--batch", "-4"},
            {"--codebook", "1"},
            {"--bottleneck", "vqgan"}
        };
        for (String[] flag : bad) {
            String[] r =
                    CliRun.run(
                            "train",
                            "autoencoder",
                            "--dataset",
                            "mnist",
                            "--run",
                            dir.resolve("bad").toString(),
                            flag[0],
                            flag[1]);
            assertThat(r[0]).as(String.join(" ", flag)).isEqualTo("2");
            assertThat(r[2].strip().lines()).as(r[2]).hasSize(1);
            assertThat(r[2]).startsWith("genlab: ").contains(flag[0]);
        }
        String[] unknown = CliRun.run("train", "autoencoder", "--dataset", "svhn");
        assertThat(unknown[0]).isEqualTo("2");
        assertThat(unknown[2].strip().lines()).hasSize(1);
    }
}
