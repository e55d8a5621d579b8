package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.genlab.core.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unCLIP decoder on real MNIST, briefly: {@code train clip}, {@code train diffusion
 * --clip-image}, {@code variations} (of a test image, an interpolation, the evaluation), and the
 * refusals.
 */
class UnclipCliTest {

    @TempDir Path dir;

    private static String[] run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void aDecoderTrainsOnClipImageEmbeddingsAndDrawsVariations() throws Exception {
        Path clip = dir.resolve("clip");
        String[] t =
                run(
                        "train",
                        "clip",
                        "--limit",
                        "256",
                        "--steps",
                        "3",
                        "--batch",
                        "32",
                        "--eval-images",
                        "100",
                        "--no-progress",
                        "--run",
                        clip.toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");

        Path dec = dir.resolve("decoder");
        String[] d =
                run(
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
        assertThat(RunFolder.open(dec).config())
                .containsEntry("text", "unclip")
                .containsEntry("context", "embedding")
                .containsEntry("contextLength", "64")
                .containsEntry("unclip.tokens", "4")
                .containsKey("clipRun");

        Path v = dir.resolve("v.png");
        String[] s =
                run(
                        "variations",
                        "--run",
                        dec.toString(),
                        "--image",
                        "test:0",
                        "--n",
                        "2",
                        "--steps",
                        "3",
                        "--out",
                        v.toString());
        assertThat(s[0]).as(s[2]).isEqualTo("0");
        BufferedImage grid = ImageIO.read(v.toFile());
        // the source and two variations side by side, tiles scaled ×3
        assertThat(grid.getWidth()).isGreaterThan(3 * 84);

        Path i = dir.resolve("i.png");
        String[] in =
                run(
                        "variations",
                        "--run",
                        dec.toString(),
                        "--image",
                        "test:0",
                        "--to",
                        "test:1",
                        "--frames",
                        "3",
                        "--steps",
                        "2",
                        "--out",
                        i.toString());
        assertThat(in[0]).as(in[2]).isEqualTo("0");
        assertThat(i).exists();
        assertThat(dir.resolve("i.gif")).exists();

        String[] e = run("variations", "--run", dec.toString(), "--evaluate", "4", "--steps", "2");
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        assertThat(e[1])
                .contains("class kept:")
                .contains("distance to the source: L2")
                .contains("two test images of the same class");

        // a PNG of the wrong size is refused in one line
        Path big = dir.resolve("big.png");
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png", big.toFile());
        String[] bad = run("variations", "--run", dec.toString(), "--image", big.toString());
        assertThat(bad[0]).isNotEqualTo("0");
        assertThat(bad[2].strip()).contains("40×30").contains("28×28").doesNotContain("\n");
        // a colour PNG for a greyscale decoder
        Path colour = dir.resolve("colour.png");
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(3, 3, 0xff0000);
        ImageIO.write(rgb, "png", colour.toFile());
        String[] col = run("variations", "--run", dec.toString(), "--image", colour.toString());
        assertThat(col[0]).isNotEqualTo("0");
        assertThat(col[2]).contains("greyscale");
        // not a PNG at all
        Path text = dir.resolve("x.png");
        Files.writeString(text, "not an image");
        String[] notPng = run("variations", "--run", dec.toString(), "--image", text.toString());
        assertThat(notPng[0]).isNotEqualTo("0");
        assertThat(notPng[2]).contains("x.png");

        // --clip-image excludes --text; a resumed decoder keeps its CLIP run
        String[] both =
                run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "mnist",
                        "--clip-image",
                        clip.toString(),
                        "--text",
                        "--run",
                        dir.resolve("both").toString());
        assertThat(both[0]).isNotEqualTo("0");
        assertThat(both[2]).contains("--clip-image").contains("--text");
        String[] other =
                run(
                        "train",
                        "diffusion",
                        "--dataset",
                        "fashion-mnist",
                        "--clip-image",
                        clip.toString(),
                        "--limit",
                        "64",
                        "--run",
                        dir.resolve("f").toString());
        assertThat(other[0]).isNotEqualTo("0");
        assertThat(other[2]).contains("trained on mnist");
        String[] resume =
                run(
                        "train",
                        "diffusion",
                        "--run",
                        dec.toString(),
                        "--resume",
                        "--text",
                        "--steps",
                        "3");
        assertThat(resume[0]).isNotEqualTo("0");
        assertThat(resume[2]).contains("--text");
    }
}
