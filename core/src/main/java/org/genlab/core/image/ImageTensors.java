package org.genlab.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;

/**
 * Converts between {@code (N, C, H, W)} tensors in {@code [-1, 1]} and {@link BufferedImage}s.
 *
 * <p>An 8-bit value {@code v} becomes {@code x = v / 127.5 - 1}; back, {@code v = round((x + 1) *
 * 127.5)} clipped to {@code [0, 255]}. One channel is grey, three are RGB.
 */
public final class ImageTensors {

    private ImageTensors() {}

    /**
     * Converts images to one tensor.
     *
     * @param manager where the tensor lives (and so its device)
     * @param images images of one size
     * @param channels 1 (grey) or 3 (RGB)
     * @return an {@code (N, channels, H, W)} float tensor in {@code [-1, 1]}
     */
    public static NDArray toTensor(NDManager manager, List<BufferedImage> images, int channels) {
        if (images.isEmpty()) {
            throw new GenLabException("No images to convert.");
        }
        if (channels != 1 && channels != 3) {
            throw new GenLabException("Images have 1 or 3 channels, not " + channels + ".");
        }
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        float[] data = new float[images.size() * channels * h * w];
        int plane = h * w;
        for (int n = 0; n < images.size(); n++) {
            BufferedImage img = images.get(n);
            if (img.getHeight() != h || img.getWidth() != w) {
                throw new GenLabException(
                        "Image "
                                + n
                                + " is "
                                + img.getWidth()
                                + "x"
                                + img.getHeight()
                                + ", the first is "
                                + w
                                + "x"
                                + h
                                + ": a batch needs one size.");
            }
            int base = n * channels * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    int i = y * w + x;
                    if (channels == 1) {
                        data[base + i] = scale(grey(img, x, y, rgb));
                    } else {
                        data[base + i] = scale((rgb >> 16) & 0xFF);
                        data[base + plane + i] = scale((rgb >> 8) & 0xFF);
                        data[base + 2 * plane + i] = scale(rgb & 0xFF);
                    }
                }
            }
        }
        return manager.create(data, new Shape(images.size(), channels, h, w));
    }

    /**
     * Converts a tensor to images, copying it to the host once.
     *
     * @param batch an {@code (N, C, H, W)} or {@code (C, H, W)} tensor in {@code [-1, 1]}, C = 1 or
     *     3
     * @return one image per batch element: grey for one channel, RGB for three
     */
    public static List<BufferedImage> toImages(NDArray batch) {
        Shape s = batch.getShape();
        if (s.dimension() == 3) {
            s = new Shape(1, s.get(0), s.get(1), s.get(2));
        }
        if (s.dimension() != 4 || (s.get(1) != 1 && s.get(1) != 3)) {
            throw new GenLabException(
                    "Expected images shaped (N, C, H, W) with C = 1 or 3, got " + batch.getShape());
        }
        int n = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] data = batch.toType(DataType.FLOAT32, false).toFloatArray();
        int plane = h * w;
        List<BufferedImage> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            BufferedImage img =
                    new BufferedImage(
                            w,
                            h,
                            c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            int base = k * c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (c == 1) {
                        img.getRaster().setSample(x, y, 0, unscale(data[base + i]));
                    } else {
                        int r = unscale(data[base + i]);
                        int g = unscale(data[base + plane + i]);
                        int b = unscale(data[base + 2 * plane + i]);
                        img.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
            }
            out.add(img);
        }
        return out;
    }

    /**
     * Scales an 8-bit value to {@code [-1, 1]}.
     *
     * @param v a value in {@code [0, 255]}
     * @return {@code v / 127.5 - 1}
     */
    public static float scale(int v) {
        return v / 127.5f - 1f;
    }

    /**
     * Scales a value in {@code [-1, 1]} back to 8 bits, clipping what lies outside.
     *
     * @param x a value, nominally in {@code [-1, 1]}
     * @return {@code round((x + 1) * 127.5)} clipped to {@code [0, 255]}; NaN becomes 0
     */
    public static int unscale(float x) {
        if (Float.isNaN(x)) {
            return 0;
        }
        int v = Math.round((x + 1f) * 127.5f);
        return Math.max(0, Math.min(255, v));
    }

    private static int grey(BufferedImage img, int x, int y, int rgb) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return img.getRaster().getSample(x, y, 0);
        }
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.round(0.299f * r + 0.587f * g + 0.114f * b);
    }
}
