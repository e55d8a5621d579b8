package org.genlab.datasets.toy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.genlab.core.GenLabException;

/**
 * A shape given as a picture: points are drawn uniformly from the picture's dark pixels, jittered
 * uniformly within the pixel, and mapped to about [-1,1]² with y pointing up (the longer side spans
 * [-1,1], the picture stays centred and undistorted).
 *
 * <p>A pixel is dark when its luminance, composited over white, is below {@code threshold} (default
 * 128 of 255); transparent pixels count as white.
 */
public final class PictureShape implements ToyDistribution {

    private final String name;
    private final int width;
    private final int height;
    private final int[] dark;
    private final double scale;

    /**
     * Makes the distribution from a picture.
     *
     * @param image the picture
     * @param threshold luminance below which a pixel is dark, 1..256
     * @param name a name for logs
     */
    public PictureShape(BufferedImage image, int threshold, String name) {
        this.name = name;
        this.width = image.getWidth();
        this.height = image.getHeight();
        int[] idx = new int[width * height];
        int n = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (isDark(image.getRGB(x, y), threshold)) {
                    idx[n++] = y * width + x;
                }
            }
        }
        if (n == 0) {
            throw new GenLabException(
                    name + ": the picture has no dark pixels (luminance < " + threshold + ")");
        }
        this.dark = java.util.Arrays.copyOf(idx, n);
        this.scale = 2.0 / Math.max(width, height);
    }

    /**
     * Reads a PNG (or any format ImageIO reads) with the default threshold 128.
     *
     * @param png the picture file
     * @return the distribution
     */
    public static PictureShape fromFile(Path png) {
        BufferedImage img;
        try {
            img = ImageIO.read(png.toFile());
        } catch (IOException e) {
            throw new GenLabException(png + ": cannot be read as an image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new GenLabException(png + ": not an image (PNG expected)");
        }
        return new PictureShape(img, 128, png.getFileName().toString());
    }

    /**
     * Tells whether an ARGB colour counts as dark.
     *
     * @param argb the colour
     * @param threshold luminance below which it is dark
     * @return true if dark
     */
    public static boolean isDark(int argb, int threshold) {
        double a = ((argb >>> 24) & 0xFF) / 255.0;
        double r = (argb >> 16) & 0xFF;
        double g = (argb >> 8) & 0xFF;
        double b = argb & 0xFF;
        double lum = 0.299 * r + 0.587 * g + 0.114 * b;
        double over = a * lum + (1 - a) * 255;
        return over < threshold;
    }

    /**
     * Maps a point back to the pixel it was drawn from.
     *
     * @param x the point's x
     * @param y the point's y
     * @return {column, row} in the picture
     */
    public int[] pixelOf(float x, float y) {
        int px = (int) Math.floor(x / scale + width / 2.0);
        int py = (int) Math.floor(height / 2.0 - y / scale);
        return new int[] {px, py};
    }

    /**
     * Returns the number of dark pixels.
     *
     * @return how many pixels points are drawn from
     */
    public int darkPixels() {
        return dark.length;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int sample(Random rnd, float[] out) {
        int p = dark[rnd.nextInt(dark.length)];
        // jitter within the pixel, kept off its edges so float rounding never leaves it
        double px = p % width + 0.001 + 0.998 * rnd.nextDouble();
        double py = p / width + 0.001 + 0.998 * rnd.nextDouble();
        out[0] = (float) ((px - width / 2.0) * scale);
        out[1] = (float) ((height / 2.0 - py) * scale);
        return 0;
    }
}
