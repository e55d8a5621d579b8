package org.genlab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    @Test
    void greyRoundTripIsExactForEveryByte() {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 256; i++) {
            img.getRaster().setSample(i % 16, i / 16, 0, i);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = ImageTensors.toTensor(m, List.of(img, img), 1);
            assertThat(t.getShape().getShape()).containsExactly(2, 1, 16, 16);
            assertThat(t.min().getFloat()).isEqualTo(-1f);
            assertThat(t.max().getFloat()).isEqualTo(1f);
            BufferedImage back = ImageTensors.toImages(t).get(1);
            for (int i = 0; i < 256; i++) {
                assertThat(back.getRaster().getSample(i % 16, i / 16, 0)).isEqualTo(i);
            }
        }
    }

    @Test
    void rgbRoundTripKeepsChannelsApart() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0x123456, 0xFEDCBA, 0x7F8081};
        for (int i = 0; i < 6; i++) {
            img.setRGB(i % 3, i / 3, colours[i]);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = ImageTensors.toTensor(m, List.of(img), 3);
            // red plane, top-left pixel is pure red
            assertThat(t.getFloat(0, 0, 0, 0)).isEqualTo(1f);
            assertThat(t.getFloat(0, 1, 0, 0)).isEqualTo(-1f);
            BufferedImage back = ImageTensors.toImages(t).get(0);
            for (int i = 0; i < 6; i++) {
                assertThat(back.getRGB(i % 3, i / 3) & 0xFFFFFF).isEqualTo(colours[i]);
            }
        }
    }

    @Test
    void valuesOutsideTheRangeAreClipped() {
        assertThat(ImageTensors.unscale(1.7f)).isEqualTo(255);
        assertThat(ImageTensors.unscale(-3f)).isZero();
        assertThat(ImageTensors.unscale(Float.NaN)).isZero();
        assertThat(ImageTensors.unscale(0f)).isEqualTo(128);
    }

    @Test
    void mixedSizesAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<BufferedImage> imgs =
                    List.of(
                            new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY),
                            new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY));
            assertThatThrownBy(() -> ImageTensors.toTensor(m, imgs, 1))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("5x4");
        }
    }
}
