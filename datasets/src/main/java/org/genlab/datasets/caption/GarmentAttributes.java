package org.genlab.datasets.caption;

import java.util.List;

/**
 * Two attributes of a Fashion-MNIST garment, measured on the image (pixels {@code I} in [0,1],
 * garment bright on a black background). The garment is the set {@code G} of pixels with {@code I >
 * τ}, {@code τ = 0.05} (about 13 of 255): Fashion-MNIST's background is 0, and a dark garment's
 * weave still clears the threshold.
 *
 * <ul>
 *   <li><b>brightness</b> — the mean intensity over the garment: {@code b = Σ_{p∈G} I(p) / |G|}.
 *   <li><b>size</b> — the fraction of the frame the garment covers: {@code a = |G| / (H·W)}.
 * </ul>
 *
 * <p>An empty image measures {@code [0, 0]}.
 */
public final class GarmentAttributes implements AttributeMeasure {

    /** Index of the brightness attribute. */
    public static final int BRIGHTNESS = 0;

    /** Index of the size attribute. */
    public static final int SIZE = 1;

    /** The threshold τ above which a pixel belongs to the garment. */
    public static final float THRESHOLD = 0.05f;

    @Override
    public List<String> names() {
        return List.of("brightness", "size");
    }

    @Override
    public double[] measure(float[] pixels, int height, int width) {
        int n = height * width;
        int count = 0;
        double sum = 0;
        for (int p = 0; p < n; p++) {
            if (pixels[p] > THRESHOLD) {
                count++;
                sum += pixels[p];
            }
        }
        if (count == 0) {
            return new double[2];
        }
        return new double[] {sum / count, (double) count / n};
    }
}
