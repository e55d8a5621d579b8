package org.genlab.datasets.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.datasets.ImageDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The attribute formulas on images drawn here, binned with the real MNIST training bins. */
class CaptionAttributesTest {

    private static final int H = 28;
    private static final int W = 28;
    private static final DigitAttributes DIGITS = new DigitAttributes();
    private static final GarmentAttributes GARMENTS = new GarmentAttributes();
    private static CaptionBins mnist;

    @BeforeAll
    static void bins() {
        mnist = CaptionedImages.of(ImageDataset.builder().setName("mnist").build()).bins();
    }

    /** A bar from row 4 to row 23, {@code width} columns wide, shifted {@code shear} per row up. */
    private static float[] bar(int width, double shear) {
        float[] img = new float[H * W];
        for (int y = 4; y <= 23; y++) {
            int x0 = (int) Math.round(14 - width / 2.0 + (13.5 - y) * shear);
            for (int x = x0; x < x0 + width; x++) {
                img[y * W + x] = 1f;
            }
        }
        return img;
    }

    private static float[] square(int side, float value) {
        float[] img = new float[H * W];
        int o = (H - side) / 2;
        for (int y = o; y < o + side; y++) {
            for (int x = o; x < o + side; x++) {
                img[y * W + x] = value;
            }
        }
        return img;
    }

    @Test
    void aThickStrokeIsBoldAndAThinOneThin() {
        double thin = DIGITS.measure(bar(1, 0), H, W)[DigitAttributes.THICKNESS];
        double thick = DIGITS.measure(bar(4, 0), H, W)[DigitAttributes.THICKNESS];
        assertThat(thin).isCloseTo(1, within(0.1));
        // 2 * area / perimeter = 2 * 80 / (2 * 20 + 2 * 4)
        assertThat(thick).isCloseTo(10 / 3.0, within(1e-9)).isGreaterThan(thin);
        assertThat(mnist.bin(DigitAttributes.THICKNESS, thin)).isZero();
        assertThat(mnist.bin(DigitAttributes.THICKNESS, thick)).isEqualTo(2);
    }

    @Test
    void aBarLeaningRightHasPositiveSlantAndOneLeaningLeftNegative() {
        double upright = DIGITS.measure(bar(2, 0), H, W)[DigitAttributes.SLANT];
        double right = DIGITS.measure(bar(2, 0.5), H, W)[DigitAttributes.SLANT];
        double left = DIGITS.measure(bar(2, -0.5), H, W)[DigitAttributes.SLANT];
        assertThat(upright).isCloseTo(0, within(1e-9));
        assertThat(right).isCloseTo(0.5, within(0.05));
        assertThat(left).isCloseTo(-0.5, within(0.05));
        assertThat(mnist.bin(DigitAttributes.SLANT, right)).isEqualTo(2);
        assertThat(mnist.bin(DigitAttributes.SLANT, upright)).isEqualTo(1);
        assertThat(mnist.bin(DigitAttributes.SLANT, left)).isZero();
    }

    @Test
    void aSmallBlobIsSmallAndALargeOneLarge() {
        double small = DIGITS.measure(square(6, 1f), H, W)[DigitAttributes.SIZE];
        double large = DIGITS.measure(square(20, 1f), H, W)[DigitAttributes.SIZE];
        // radius of gyration of a filled s x s square: s * sqrt(1/6) (pixel centres:
        // sqrt((s²-1)/6))
        assertThat(small).isCloseTo(Math.sqrt((36 - 1) / 6.0), within(1e-9));
        assertThat(large).isGreaterThan(small);
        assertThat(mnist.bin(DigitAttributes.SIZE, small)).isZero();
        assertThat(mnist.bin(DigitAttributes.SIZE, large)).isEqualTo(2);
    }

    @Test
    void garmentBrightnessAndSizeFollowTheImage() {
        double[] dim = GARMENTS.measure(square(10, 0.3f), H, W);
        double[] bright = GARMENTS.measure(square(20, 0.9f), H, W);
        assertThat(dim[GarmentAttributes.BRIGHTNESS]).isCloseTo(0.3, within(1e-6));
        assertThat(bright[GarmentAttributes.BRIGHTNESS]).isCloseTo(0.9, within(1e-6));
        assertThat(dim[GarmentAttributes.SIZE]).isCloseTo(100.0 / 784, within(1e-9));
        assertThat(bright[GarmentAttributes.SIZE]).isCloseTo(400.0 / 784, within(1e-9));
        CaptionBins fashion =
                CaptionedImages.of(
                                ImageDataset.builder()
                                        .setName("fashion-mnist")
                                        .optLimit(10)
                                        .build())
                        .bins();
        assertThat(fashion.bins(dim)).containsExactly(0, 0);
        assertThat(fashion.bins(bright)).containsExactly(2, 1);
    }

    @Test
    void anEmptyImageMeasuresZero() {
        assertThat(DIGITS.measure(new float[H * W], H, W)).containsExactly(0, 0, 0);
        assertThat(GARMENTS.measure(new float[H * W], H, W)).containsExactly(0, 0);
    }

    @Test
    void aBatchInGenLabsRangeMeasuresLikeTheFloats() {
        float[] a = bar(3, 0.4);
        float[] b = square(12, 0.7f);
        float[] both = new float[2 * H * W];
        for (int p = 0; p < H * W; p++) {
            both[p] = a[p] * 2 - 1;
            both[H * W + p] = b[p] * 2 - 1;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] r = DIGITS.measure(m.create(both, new Shape(2, 1, H, W)));
            assertThat(r[0]).containsExactly(DIGITS.measure(a, H, W), within(1e-5));
            assertThat(r[1]).containsExactly(DIGITS.measure(b, H, W), within(1e-5));
            assertThatThrownBy(() -> DIGITS.measure(m.zeros(new Shape(2, 3, H, W))))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("(B,1,H,W)");
        }
    }

    @Test
    void cifarHasNoCaptions() {
        assertThat(AttributeMeasure.forDataset("mnist").names())
                .containsExactly("thickness", "slant", "size");
        assertThat(AttributeMeasure.forDataset("fashion").names())
                .containsExactly("brightness", "size");
        assertThatThrownBy(() -> AttributeMeasure.forDataset("cifar10"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("mnist and fashion-mnist only");
        assertThatThrownBy(() -> AttributeMeasure.forDataset("imagenet"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Unknown data set");
    }
}
