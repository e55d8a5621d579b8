package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * unCLIP from a prompt, on real MNIST and tiny runs trained here: {@code train clip}, {@code train
 * prior}, {@code train diffusion --clip-image}, then {@code sample unclip --prompt} (a row per
 * prompt) and {@code --evaluate}; a prior and a decoder of different CLIP runs are refused.
 */
class UnclipPromptCliTest {

    @TempDir Path dir;

    private Path clip(String name) {
        Path clip = dir.resolve(name);
        String[] t =
                CliRun.run(
                        "train",
                        "clip",
                        "--limit",
                        "256",
                        "--steps",
                        "3",
                        "--batch",
                        "32",
                        "--eval-images",
                        "50",
                        "--no-progress",
                        "--run",
                        clip.toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        return clip;
    }

    @Test
    void promptsGoThroughThePriorAndTheDecoder() throws Exception {
        Path clip = clip("clip");
        Path prior = dir.resolve("prior");
        String[] p =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        clip.toString(),
                        "--kind",
                        "regression",
                        "--limit",
                        "256",
                        "--steps",
                        "3",
                        "--batch",
                        "32",
                        "--width",
                        "32",
                        "--depth",
                        "1",
                        "--eval-images",
                        "20",
                        "--no-progress",
                        "--run",
                        prior.toString());
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        Path dec = dir.resolve("decoder");
        String[] d =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "mnist",
                        "--clip-image",
                        clip.toString(),
                        "--limit",
                        "256",
                        "--steps",
                        "2",
                        "--batch",
                        "16",
                        "--timesteps",
                        "50",
                        "--sample-every",
                        "0",
                        "--checkpoint-every",
                        "0",
                        "--no-progress",
                        "--run",
                        dec.toString());
        assertThat(d[0]).as(d[2]).isEqualTo("0");

        Path out = dir.resolve("u.png");
        String[] s =
                CliRun.run(
                        "sample",
                        "unclip",
                        "--prior",
                        prior.toString(),
                        "--decoder",
                        dec.toString(),
                        "--prompt",
                        "a bold 7",
                        "--prompt",
                        "a thin 2",
                        "--n",
                        "3",
                        "--steps",
                        "2",
                        "--out",
                        out.toString());
        assertThat(s[0]).as(s[2]).isEqualTo("0");
        assertThat(s[1]).contains("Wrote 6 images").contains("regression prior");
        BufferedImage grid = ImageIO.read(out.toFile());
        // two labelled rows of three tiles
        assertThat(grid.getHeight()).isGreaterThanOrEqualTo(2 * 28 * 2);
        assertThat(grid.getWidth()).isGreaterThan(3 * 28 * 2);

        String[] e =
                CliRun.run(
                        "sample",
                        "unclip",
                        "--prior",
                        prior.toString(),
                        "--decoder",
                        dec.toString(),
                        "--evaluate",
                        "4",
                        "--steps",
                        "2");
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        assertThat(e[1]).contains("Prompt accuracy").contains("held-out compositions");

        String[] unknown =
                CliRun.run(
                        "sample",
                        "unclip",
                        "--prior",
                        prior.toString(),
                        "--decoder",
                        dec.toString(),
                        "--prompt",
                        "a purple 7");
        assertThat(unknown[0]).isNotEqualTo("0");
        assertThat(unknown[2]).contains("purple");

        // a prior of another CLIP run speaks another embedding space
        Path other = clip("other-clip");
        Path otherPrior = dir.resolve("other-prior");
        String[] op =
                CliRun.run(
                        "train",
                        "prior",
                        "--clip",
                        other.toString(),
                        "--kind",
                        "regression",
                        "--limit",
                        "64",
                        "--steps",
                        "1",
                        "--batch",
                        "32",
                        "--width",
                        "32",
                        "--depth",
                        "1",
                        "--eval-images",
                        "20",
                        "--no-progress",
                        "--run",
                        otherPrior.toString());
        assertThat(op[0]).as(op[2]).isEqualTo("0");
        String[] mismatch =
                CliRun.run(
                        "sample",
                        "unclip",
                        "--prior",
                        otherPrior.toString(),
                        "--decoder",
                        dec.toString(),
                        "--prompt",
                        "a 7");
        assertThat(mismatch[0]).isNotEqualTo("0");
        assertThat(mismatch[2].strip()).contains("one CLIP embedding space").doesNotContain("\n");
    }
}
