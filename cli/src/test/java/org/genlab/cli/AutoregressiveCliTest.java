package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.train.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoregressive commands on real MNIST, each briefly: a tiny VQ autoencoder, {@code train
 * autoregressive} (class-conditional and text), {@code sample autoregressive} with {@code --class},
 * {@code --prompt}, {@code --candidates} re-ranked by a tiny CLIP run, and {@code --token-steps};
 * and the refusals.
 */
class AutoregressiveCliTest {

    @TempDir static Path dir;

    private static Path vq;

    private static String[] run(String... args) {
        return CliRun.run(args);
    }

    @BeforeAll
    static void trainATinyVqAutoencoder() {
        vq = dir.resolve("vq");
        String[] r =
                run(
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
                        "3",
                        "--scale-images",
                        "64",
                        "--eval-images",
                        "0",
                        "--sample-every",
                        "0",
                        "--no-progress",
                        "--run",
                        vq.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
    }

    private static String[] train(Path out, String... more) {
        String[] base = {
            "train",
            "autoregressive",
            "--autoencoder",
            vq.toString(),
            "--limit",
            "256",
            "--steps",
            "3",
            "--batch",
            "16",
            "--dim",
            "32",
            "--layers",
            "1",
            "--heads",
            "2",
            "--sample-every",
            "3",
            "--no-progress",
            "--run",
            out.toString()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    @Test
    void aClassConditionalRunTrainsSamplesAClassAndShowsTheTokensBeingWritten() {
        Path ar = dir.resolve("ar");
        String[] t = train(ar, "--conditional");
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        RunFolder folder = RunFolder.open(ar);
        assertThat(folder.config())
                .containsEntry("transformer.classes", "10")
                .containsEntry("transformer.codes", "32")
                .containsEntry("conditioning", "class")
                .containsEntry("autoencoderRun", vq.toAbsolutePath().normalize().toString());
        assertThat(folder.samplesDir().resolve("step-0000003.png")).isRegularFile();
        assertThat(folder.lossesCsv()).content().contains("nll");

        Path grid = dir.resolve("threes.png");
        Path steps = dir.resolve("writing.png");
        String[] s =
                run(
                        "sample",
                        "autoregressive",
                        "--run",
                        ar.toString(),
                        "--class",
                        "3",
                        "--n",
                        "4",
                        "--top-k",
                        "8",
                        "--guidance",
                        "2",
                        "--out",
                        grid.toString(),
                        "--token-steps",
                        steps.toString());
        assertThat(s[0]).as(s[2]).isEqualTo("0");
        assertThat(s[1]).contains("Wrote 4 samples").contains("ms per image").contains("50 frames");
        assertThat(grid).isRegularFile();
        assertThat(steps).isRegularFile();
        assertThat(AnimatedGif.frameCount(dir.resolve("writing.gif"))).isEqualTo(50);

        String[] prompt =
                run("sample", "autoregressive", "--run", ar.toString(), "--prompt", "a 7");
        assertThat(prompt[0]).isNotEqualTo("0");
        assertThat(prompt[2]).contains("--prompt needs a text run");

        String[] resume =
                run("train", "autoregressive", "--resume", "--dim", "64", "--run", ar.toString());
        assertThat(resume[0]).isEqualTo("2");
        assertThat(resume[2]).contains("--dim").contains("32");

        // the third family in compare: quality, control, speed and bits per token
        Path report = dir.resolve("report");
        String[] compare =
                run(
                        "compare",
                        "--runs",
                        ar.toString(),
                        "--out",
                        report.toString(),
                        "--n",
                        "200",
                        "--speed-batch",
                        "2");
        assertThat(compare[0]).as(compare[2]).isEqualTo("0");
        String json = readString(report.resolve("report.json"));
        assertThat(json).contains("Autoregressive").contains("tokens-49").contains("bitsPerToken");
        assertThat(readString(report.resolve("index.html")))
                .contains("autoregressive</th>")
                .contains("bits/token");
    }

    private static String readString(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTextRunDrawsPromptsAndReranksThemWithClip() {
        Path clip = dir.resolve("clip");
        String[] c =
                run(
                        "train",
                        "clip",
                        "--limit",
                        "256",
                        "--steps",
                        "2",
                        "--batch",
                        "32",
                        "--embed-dim",
                        "16",
                        "--text-dim",
                        "16",
                        "--text-layers",
                        "1",
                        "--eval-images",
                        "10",
                        "--no-progress",
                        "--run",
                        clip.toString());
        assertThat(c[0]).as(c[2]).isEqualTo("0");
        Path ar = dir.resolve("ar-text");
        String[] t = train(ar, "--text");
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        assertThat(RunFolder.open(ar).config())
                .containsEntry("conditioning", "text")
                .containsEntry("transformer.captionLength", "16")
                .containsKey("vocabulary");

        Path grid = dir.resolve("prompts.png");
        String[] s =
                run(
                        "sample",
                        "autoregressive",
                        "--run",
                        ar.toString(),
                        "--prompt",
                        "a bold 7",
                        "--prompt",
                        "a thin 1",
                        "--n",
                        "4",
                        "--candidates",
                        "3",
                        "--clip",
                        clip.toString(),
                        "--guidance",
                        "1.5",
                        "--out",
                        grid.toString());
        assertThat(s[0]).as(s[2]).isEqualTo("0");
        assertThat(s[1])
                .contains("Wrote 4 samples")
                .contains("best of 3")
                .contains("mean over all 12 candidates")
                .contains("for the chosen ones");
        assertThat(grid).isRegularFile();

        String[] eval = run("sample", "autoregressive", "--run", ar.toString(), "--evaluate", "4");
        assertThat(eval[0]).as(eval[2]).isEqualTo("0");
        assertThat(eval[1]).contains("Prompt accuracy").contains("held-out compositions");

        String[] unknown =
                run("sample", "autoregressive", "--run", ar.toString(), "--prompt", "a purple 7");
        assertThat(unknown[0]).isNotEqualTo("0");
        assertThat(unknown[2]).contains("purple").doesNotContain("at org.");
        String[] noClip =
                run(
                        "sample",
                        "autoregressive",
                        "--run",
                        ar.toString(),
                        "--prompt",
                        "a 7",
                        "--candidates",
                        "4");
        assertThat(noClip[0]).isNotEqualTo("0");
        assertThat(noClip[2]).contains("--clip");
    }

    @Test
    void whatCannotWorkIsRefusedInOneLine() {
        Path kl = dir.resolve("kl");
        String[] k =
                run(
                        "train",
                        "autoencoder",
                        "--dataset",
                        "mnist",
                        "--limit",
                        "64",
                        "--batch",
                        "32",
                        "--steps",
                        "1",
                        "--scale-images",
                        "32",
                        "--eval-images",
                        "0",
                        "--sample-every",
                        "0",
                        "--no-progress",
                        "--run",
                        kl.toString());
        assertThat(k[0]).as(k[2]).isEqualTo("0");
        String[][] bad = {
            {"--autoencoder", kl.toString()},
            {"--autoencoder", vq.toString(), "--text", "--conditional"},
            {"--autoencoder", vq.toString(), "--dataset", "fashion-mnist"},
            {"--autoencoder", dir.resolve("nothing").toString()},
            {"--autoencoder", vq.toString(), "--dim", "30", "--heads", "4"}
        };
        String[] says = {
            "kl bottleneck, not vq",
            "--text and --conditional",
            "trained on mnist",
            "No autoencoder run",
            "multiple of --heads"
        };
        for (int i = 0; i < bad.length; i++) {
            String[] args = new String[bad[i].length + 4];
            args[0] = "train";
            args[1] = "autoregressive";
            System.arraycopy(bad[i], 0, args, 2, bad[i].length);
            args[args.length - 2] = "--run";
            args[args.length - 1] = dir.resolve("refused").toString();
            String[] r = run(args);
            assertThat(r[0]).as(String.join(" ", bad[i])).isNotEqualTo("0");
            assertThat(r[2].strip()).contains(says[i]).doesNotContain("\n");
        }
        assertThat(dir.resolve("refused")).doesNotExist();
    }
}
