package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code genlab datasets captions} on the real, cached MNIST and Fashion-MNIST. */
class CaptionsCliTest {

    @TempDir Path dir;

    private static long rows(String out) {
        return out.lines().filter(l -> l.matches("^ *\\d+  \\S.*")).count();
    }

    @Test
    void printsAndDrawsFourMnistCaptions() throws Exception {
        Path png = dir.resolve("captions.png");
        String[] r =
                CliRun.run("datasets", "captions", "mnist", "--n", "4", "--out", png.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(rows(r[1])).as(r[1]).isEqualTo(4);
        assertThat(r[1])
                .contains("Bin edges", "thickness: thin < ", "Held-out compositions")
                .contains("\"a bold three\"")
                .containsPattern("(?m)^ +0  5 .*(regular|bold|thin).*  \\S")
                .contains("Wrote " + png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getHeight()).isGreaterThanOrEqualTo(4 * 84);
        assertThat(img.getWidth()).isGreaterThan(84);
    }

    @Test
    void aSeedPicksRandomTestImagesOfFashionMnist() {
        String[] r =
                CliRun.run(
                        "datasets",
                        "captions",
                        "fashion",
                        "--split",
                        "test",
                        "--n",
                        "3",
                        "--seed",
                        "5");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(rows(r[1])).as(r[1]).isEqualTo(3);
        assertThat(r[1]).contains("fashion-mnist test: 10000 images", "brightness: dark < ");
        assertThat(
                        CliRun.run(
                                "datasets",
                                "captions",
                                "fashion",
                                "--split",
                                "test",
                                "--n",
                                "3",
                                "--seed",
                                "5")[1])
                .isEqualTo(r[1]);
    }

    @Test
    void badNamesAndIndicesAreOneLineErrors() {
        for (String[][] c :
                new String[][][] {
                    {{"datasets", "captions", "imagenet"}, {"Unknown data set 'imagenet'"}},
                    {{"datasets", "captions", "cifar10"}, {"mnist and fashion-mnist only"}},
                    {{"datasets", "captions", "mnist", "--split", "val"}, {"train or test"}},
                    {
                        {"datasets", "captions", "mnist", "--split", "test", "--first", "10000"},
                        {"past the end"}
                    },
                    {{"datasets", "captions", "mnist", "--first", "3", "--seed", "1"}, {"not both"}}
                }) {
            String[] r = CliRun.run(c[0]);
            assertThat(r[0]).as(String.join(" ", c[0])).isNotEqualTo("0");
            assertThat(r[2].strip())
                    .contains(c[1][0])
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
        }
    }
}
