package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.genlab.core.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text-to-image commands on real MNIST captions, each briefly: {@code train clip}, {@code clip
 * zero-shot|search|attention}, {@code train diffusion --text} (with CLIP's frozen encoder, and a
 * fresh one with the flow objective), {@code sample diffusion --prompt}, and {@code edit}.
 */
class TextCliTest {

    @TempDir Path dir;

    private static String[] run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void clipTrainsAndAnswersZeroShotSearchAndAttention() throws Exception {
        Path clip = dir.resolve("clip");
        String[] t =
                run(
                        "train",
                        "clip",
                        "--limit",
                        "512",
                        "--steps",
                        "4",
                        "--batch",
                        "32",
                        "--eval-images",
                        "100",
                        "--no-progress",
                        "--run",
                        clip.toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        assertThat(clip.resolve("vocab.txt")).exists();
        assertThat(clip.resolve("samples").resolve("embedding-map.png")).exists();

        String[] z = run("clip", "zero-shot", "--run", clip.toString(), "--n", "100");
        assertThat(z[0]).as(z[2]).isEqualTo("0");
        assertThat(z[1]).contains("zero-shot accuracy").contains("recall@5");

        Path found = dir.resolve("found.png");
        String[] s =
                run(
                        "clip",
                        "search",
                        "--run",
                        clip.toString(),
                        "--text",
                        "a bold 7",
                        "--k",
                        "4",
                        "--n",
                        "200",
                        "--out",
                        found.toString());
        assertThat(s[0]).as(s[2]).isEqualTo("0");
        assertThat(found).exists();
        assertThat(s[1]).contains("nearest to \"a bold 7\"");

        String[] a =
                run(
                        "clip",
                        "attention",
                        "--run",
                        clip.toString(),
                        "--text",
                        "a bold seven leaning right",
                        "--out",
                        dir.resolve("att").toString());
        assertThat(a[0]).as(a[2]).isEqualTo("0");
        assertThat(dir.resolve("att-layer1.png")).exists();

        String[] bad = run("clip", "search", "--run", clip.toString(), "--text", "a purple 7");
        assertThat(bad[0]).isNotEqualTo("0");
        assertThat(bad[2].strip())
                .contains("purple")
                .doesNotContain("\n")
                .doesNotContain("at org.");

        // a text diffusion run reading captions with CLIP's frozen encoder
        Path text = dir.resolve("text");
        String[] d =
                run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "mnist",
                        "--text",
                        "--clip",
                        clip.toString(),
                        "--limit",
                        "256",
                        "--steps",
                        "3",
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
                        text.toString());
        assertThat(d[0]).as(d[2]).isEqualTo("0");
        assertThat(RunFolder.open(text).config())
                .containsEntry("text", "clip")
                .containsEntry("contextLength", "16")
                .containsKey("vocabulary");

        Path grid = dir.resolve("prompts.png");
        String[] p =
                run(
                        "sample",
                        "diffusion",
                        "--run",
                        text.toString(),
                        "--prompt",
                        "a bold 7",
                        "--prompt",
                        "a thin 1",
                        "--n",
                        "4",
                        "--steps",
                        "3",
                        "--out",
                        grid.toString());
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        assertThat(grid).exists();

        String[] noPrompt = run("sample", "diffusion", "--run", text.toString(), "--n", "4");
        assertThat(noPrompt[0]).isNotEqualTo("0");
        assertThat(noPrompt[2]).contains("--prompt");

        String[] unknown =
                run("sample", "diffusion", "--run", text.toString(), "--prompt", "a purple 7");
        assertThat(unknown[0]).isNotEqualTo("0");
        assertThat(unknown[2]).contains("purple");

        Path strip = dir.resolve("edits.png");
        String[] e =
                run(
                        "edit",
                        "--run",
                        text.toString(),
                        "--edit",
                        "bottom-right=a thin 4",
                        "--edit",
                        "top-left:top=a bold 7",
                        "--canvas",
                        "test",
                        "--steps",
                        "3",
                        "--resample",
                        "1",
                        "--out",
                        strip.toString());
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        assertThat(strip).exists();
        assertThat(dir.resolve("edits.gif")).exists();
        assertThat(e[1]).contains("1. ").contains("the cell shows");

        String[] badEdit = run("edit", "--run", text.toString(), "--edit", "middle=a 4");
        assertThat(badEdit[0]).isNotEqualTo("0");
        assertThat(badEdit[2]).contains("top-left");
    }

    @Test
    void aFreshEncoderTrainsWithAFlowModelAndTextExcludesClasses() throws Exception {
        Path flow = dir.resolve("flow");
        String[] d =
                run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "mnist",
                        "--text",
                        "--objective",
                        "flow",
                        "--limit",
                        "256",
                        "--steps",
                        "2",
                        "--batch",
                        "16",
                        "--sample-every",
                        "0",
                        "--checkpoint-every",
                        "0",
                        "--no-progress",
                        "--run",
                        flow.toString());
        assertThat(d[0]).as(d[2]).isEqualTo("0");
        assertThat(RunFolder.open(flow).config())
                .containsEntry("text", "glide")
                .containsEntry("prediction", "flow");
        Path grid = dir.resolve("flow.png");
        String[] p =
                run(
                        "sample",
                        "diffusion",
                        "--run",
                        flow.toString(),
                        "--prompt",
                        "a 3",
                        "--n",
                        "2",
                        "--steps",
                        "2",
                        "--out",
                        grid.toString());
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        assertThat(Files.size(grid)).isPositive();

        String[] both =
                run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "mnist",
                        "--text",
                        "--conditional",
                        "--run",
                        dir.resolve("x").toString());
        assertThat(both[0]).isNotEqualTo("0");
        assertThat(both[2]).contains("--text and --conditional");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
