package org.genlab.datasets.caption;

import java.util.List;

/**
 * Three attributes of a handwritten digit, measured on the image (pixels {@code I(x,y)} in [0,1],
 * ink bright, {@code x} to the right and {@code y} down).
 *
 * <ul>
 *   <li><b>thickness</b> — the stroke width in pixels, as area over half the perimeter: {@code w =
 *       2 ΣI / Σ|∇I|}, where {@code Σ|∇I|} sums {@code |I(p) - I(q)|} over all pairs of
 *       horizontally or vertically adjacent pixels (the frame counts as background). A straight
 *       stroke of width {@code w} and length {@code L >> w} has area {@code wL} and perimeter
 *       {@code 2L + 2w}, so the ratio is close to {@code w}; grey anti-aliased edges count by their
 *       contrast, which keeps the value continuous.
 *   <li><b>slant</b> — the shear of the ink from its second moments: {@code s = -Σ(x - x̄)(y - ȳ)I
 *       / Σ(y - ȳ)²I} (x̄, ȳ the ink's centre of mass), the number of columns the ink moves to the
 *       right per row upwards. A digit leaning right (/) is positive, upright about 0, leaning left
 *       (\) negative.
 *   <li><b>size</b> — the ink's radius of gyration in pixels: {@code r = sqrt(Σ((x - x̄)² + (y -
 *       ȳ)²)I / ΣI)}. MNIST scales every digit to fit a 20x20 box, so the box height hardly varies;
 *       the spread of the ink does (a narrow 1 is small, a wide 0 large).
 * </ul>
 *
 * <p>An empty image (no ink) measures {@code [0, 0, 0]}.
 */
public final class DigitAttributes implements AttributeMeasure {

    /** Index of the thickness attribute. */
    public static final int THICKNESS = 0;

    /** Index of the slant attribute. */
    public static final int SLANT = 1;

    /** Index of the size attribute. */
    public static final int SIZE = 2;

    @Override
    public List<String> names() {
        return List.of("thickness", "slant", "size");
    }

    @Override
    public double[] measure(float[] pixels, int height, int width) {
        double mass = 0;
        double sx = 0;
        double sy = 0;
        double edges = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = pixels[y * width + x];
                mass += v;
                sx += v * x;
                sy += v * y;
                double right = x + 1 < width ? pixels[y * width + x + 1] : 0;
                double below = y + 1 < height ? pixels[(y + 1) * width + x] : 0;
                edges += Math.abs(v - right) + Math.abs(v - below);
                if (x == 0) {
                    edges += v; // the edge to the frame on the left
                }
                if (y == 0) {
                    edges += v; // the edge to the frame above
                }
            }
        }
        if (mass <= 0) {
            return new double[3];
        }
        double xBar = sx / mass;
        double yBar = sy / mass;
        double sxy = 0;
        double syy = 0;
        double sxx = 0;
        for (int y = 0; y < height; y++) {
            double dy = y - yBar;
            for (int x = 0; x < width; x++) {
                double v = pixels[y * width + x];
                double dx = x - xBar;
                sxy += dx * dy * v;
                syy += dy * dy * v;
                sxx += dx * dx * v;
            }
        }
        double thickness = 2 * mass / edges;
        double slant = syy > 0 ? -sxy / syy : 0;
        double size = Math.sqrt((sxx + syy) / mass);
        return new double[] {thickness, slant, size};
    }
}
