package org.genlab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PicturesTest {

    @TempDir Path dir;

    private static List<BufferedImage> tiles(int n, int size) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    img.setRGB(x, y, (i * 20) << 16 | x * 8 << 8 | y * 8);
                }
            }
            out.add(img);
        }
        return out;
    }

    @Test
    void gridPlacesTileKAtRowKDivColumns() {
        SampleGrid grid =
                SampleGrid.builder().setImages(tiles(10, 8)).optColumns(4).optPadding(2).build();
        assertThat(grid.rows()).isEqualTo(3);
        BufferedImage img = grid.render();
        assertThat(img.getWidth()).isEqualTo(2 + 4 * (8 + 2));
        assertThat(img.getHeight()).isEqualTo(2 + 3 * (8 + 2));
        // tile 6 sits in row 1, column 2; its pixel (3, 5) carries i=6, x=3, y=5
        int x0 = 2 + 2 * 10;
        int y0 = 2 + 1 * 10;
        assertThat(img.getRGB(x0 + 3, y0 + 5) & 0xFFFFFF).isEqualTo(120 << 16 | 24 << 8 | 40);
    }

    @Test
    void scaledGridWithLabelsIsLargerAndDefaultsToASquare() {
        SampleGrid plain = SampleGrid.builder().setImages(tiles(16, 8)).build();
        assertThat(plain.columns()).isEqualTo(4);
        BufferedImage labelled =
                SampleGrid.builder()
                        .setImages(tiles(16, 8))
                        .optScale(3)
                        .optRowLabels(List.of("zero", "one", "two", "three"))
                        .optColumnLabels(List.of("a", "b", "c", "d"))
                        .build()
                        .render();
        BufferedImage p = plain.render();
        assertThat(labelled.getWidth()).isGreaterThan(p.getWidth() * 3);
        assertThat(labelled.getHeight()).isGreaterThan(p.getHeight() * 3 - 4);
    }

    @Test
    void gifHasOneFramePerPicture() {
        Path gif = dir.resolve("t.gif");
        AnimatedGif.write(gif, tiles(7, 16), 80, 500, Provenance.builder().build());
        assertThat(AnimatedGif.frameCount(gif)).isEqualTo(7);
    }

    @Test
    void provenanceIsWrittenAndReadBack() {
        Path png = dir.resolve("samples.png");
        Provenance p =
                Provenance.builder().optModel("dcgan").optRun("runs/x").optSeed(1234).build();
        PngWriter.write(SampleGrid.builder().setImages(tiles(4, 8)).build().render(), png, p);
        Map<String, String> text = PngWriter.readText(png);
        assertThat(text)
                .containsEntry("Model", "dcgan")
                .containsEntry("Run", "runs/x")
                .containsEntry("Seed", "1234")
                .containsEntry(Provenance.KEY_SOURCE_TYPE, Provenance.TRAINED_ALGORITHMIC_MEDIA);
        assertThat(text.get("Software")).startsWith("GenLab ");
        assertThat(text.get("XML:com.adobe.xmp"))
                .contains("Iptc4xmpExt:DigitalSourceType")
                .contains("trainedAlgorithmicMedia");
        assertThat(PngWriter.read(png).getWidth()).isEqualTo(2 + 2 * 10);
    }

    @Test
    void readingProvenanceOfANonPngSaysSo() throws Exception {
        Path txt = Files.writeString(dir.resolve("x.png"), "not an image");
        assertThatThrownBy(() -> PngWriter.readText(txt))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("x.png");
        assertThatThrownBy(() -> PngWriter.readText(dir.resolve("missing.png")))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("No such file");
    }
}
