package org.genlab.datasets.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyDatasetTest {

    @TempDir Path dir;

    @Test
    void sizesAndSeeds() {
        for (String name : new String[] {"ring", "moons", "swissroll", "checkerboard"}) {
            ToyDataset a = ToyDataset.byName(name, 1000, 7);
            ToyDataset b = ToyDataset.byName(name, 1000, 7);
            ToyDataset c = ToyDataset.byName(name, 1000, 8);
            assertThat(a.size()).isEqualTo(1000);
            assertThat(a.points()).hasDimensions(1000, 2);
            assertThat(a.points()).isDeepEqualTo(b.points());
            assertThat(a.points()[0]).isNotEqualTo(c.points()[0]);
        }
    }

    @Test
    void ringCoversAllEightModesTightly() {
        RingOfGaussians ring = RingOfGaussians.defaults();
        ToyDataset ds = ToyDataset.builder().setDistribution(ring).setSize(4000).optSeed(1).build();
        float[][] centres = ring.centres();
        assertThat(centres).hasNumberOfRows(8);
        assertThat(ring.sigma()).isEqualTo(0.02);
        int[] hits = new int[8];
        float[][] pts = ds.points();
        for (int i = 0; i < pts.length; i++) {
            int k = ds.component(i);
            double d = Math.hypot(pts[i][0] - centres[k][0], pts[i][1] - centres[k][1]);
            assertThat(d).isLessThan(6 * ring.sigma());
            hits[k]++;
        }
        for (int h : hits) {
            assertThat(h).isGreaterThan(400);
        }
        assertThat(Math.hypot(centres[2][0], centres[2][1]))
                .isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-5));
        RingOfGaussians wide = new RingOfGaussians(8, 3.0, 0.1);
        assertThat(wide.centres()[0][0]).isEqualTo(3.0f);
    }

    @Test
    void checkerboardOnlyOnDarkSquares() {
        ToyDataset ds = ToyDataset.byName("checkerboard", 2000, 3);
        for (float[] p : ds.points()) {
            int i = (int) Math.floor(p[0] + 2);
            int j = (int) Math.floor(p[1] + 2);
            assertThat((i + j) % 2).isZero();
            assertThat(p[0]).isBetween(-2f, 2f);
        }
    }

    @Test
    void pictureShapeLandsOnlyOnDarkPixels() throws IOException {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 20);
        g.setColor(Color.BLACK);
        g.fillRect(2, 3, 5, 4); // a block in the upper left
        g.fillOval(25, 5, 10, 10);
        g.dispose();
        img.setRGB(39, 19, 0x00000000); // transparent black counts as white
        Path png = dir.resolve("shape.png");
        ImageIO.write(img, "png", png.toFile());

        ToyDataset ds = ToyDataset.byName(png.toString(), 3000, 5);
        PictureShape shape = (PictureShape) ds.distribution();
        boolean upperLeft = false;
        for (float[] p : ds.points()) {
            int[] px = shape.pixelOf(p[0], p[1]);
            assertThat(PictureShape.isDark(img.getRGB(px[0], px[1]), 128))
                    .as("pixel %d,%d", px[0], px[1])
                    .isTrue();
            assertThat(p[0]).isBetween(-1f, 1f);
            assertThat(p[1]).isBetween(-1f, 1f);
            upperLeft |= px[0] < 10 && p[0] < 0 && p[1] > 0; // y points up
        }
        assertThat(upperLeft).isTrue();
    }

    @Test
    void blankPictureAndUnknownNameAreErrors() throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        img.getGraphics().fillRect(0, 0, 8, 8); // default colour: white? make sure
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        Path png = dir.resolve("blank.png");
        ImageIO.write(img, "png", png.toFile());
        assertThatThrownBy(() -> ToyDataset.byName(png.toString(), 10, 1))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("no dark pixels");
        assertThatThrownBy(() -> ToyDataset.byName("spiral9", 10, 1))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Unknown toy distribution");
    }

    @Test
    void tensorsAndDjlView() throws Exception {
        ToyDataset ds = ToyDataset.byName("moons", 100, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ds.points(m, new int[] {5, 7});
            assertThat(x.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(x.toFloatArray()[2]).isEqualTo(ds.points()[7][0]);
            int n = 0;
            for (Batch b : ds.toDjlDataset(25, false).getData(m)) {
                assertThat(b.getData().head().getShape()).isEqualTo(new Shape(25, 2));
                b.close();
                n++;
            }
            assertThat(n).isEqualTo(4);
        }
    }
}
