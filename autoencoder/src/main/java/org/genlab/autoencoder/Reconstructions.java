package org.genlab.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;

/**
 * How good an autoencoder's reconstructions are, in a number and in a picture: the peak
 * signal-to-noise ratio, and a grid with the originals above their reconstructions.
 */
public final class Reconstructions {

    private Reconstructions() {}

    /**
     * The peak signal-to-noise ratio of reconstructions x̂ of images x in [-1, 1] (peak-to-peak
     * range 2), over the whole batch:
     *
     * <pre>
     *   PSNR = 10 log₁₀(2² / mean((x − x̂)²))   dB
     * </pre>
     *
     * It equals the usual PSNR of the images mapped to [0, 255]. Higher is better; MNIST
     * reconstructions that a classifier reads like the originals are above ≈ 20 dB.
     *
     * @param x (B, C, H, W) originals
     * @param xHat (B, C, H, W) reconstructions
     * @return the PSNR in dB
     */
    public static double psnr(NDArray x, NDArray xHat) {
        double mse = x.sub(xHat).square().mean().getFloat();
        return 10 * Math.log10(4.0 / Math.max(mse, 1e-12));
    }

    /**
     * Draws originals above their reconstructions: {@code rows} rows of originals, then the same
     * number of rows of reconstructions in the same order, labelled.
     *
     * @param x (B, C, H, W) originals in [-1, 1]
     * @param xHat (B, C, H, W) their reconstructions
     * @param columns images per row
     * @return the picture
     */
    public static BufferedImage grid(NDArray x, NDArray xHat, int columns) {
        long b = x.getShape().get(0);
        if (b < 1 || !x.getShape().equals(xHat.getShape())) {
            throw new GenLabException(
                    "Reconstruction grid: originals "
                            + x.getShape()
                            + " and reconstructions "
                            + xHat.getShape()
                            + " must have the same non-empty shape.");
        }
        int cols = (int) Math.max(1, Math.min(columns, b));
        int rows = (int) (b / cols);
        long n = (long) rows * cols;
        NDArray top = x.get(new NDIndex("0:{}", n));
        NDArray bottom = xHat.get(new NDIndex("0:{}", n));
        NDArray both = NDArrays.concat(new NDList(top, bottom.toDevice(top.getDevice(), false)));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            labels.add("input");
        }
        for (int i = 0; i < rows; i++) {
            labels.add("recon");
        }
        int scale = x.getShape().get(2) <= 32 ? 2 : 1;
        return SampleGrid.builder()
                .setImages(both)
                .optColumns(cols)
                .optScale(scale)
                .optRowLabels(labels)
                .build()
                .render();
    }

    /**
     * Writes {@link #grid} as a PNG with provenance.
     *
     * @param x (B, C, H, W) originals in [-1, 1]
     * @param xHat their reconstructions
     * @param columns images per row
     * @param file the PNG to write
     * @param provenance what made it
     */
    public static void writeGrid(
            NDArray x, NDArray xHat, int columns, Path file, Provenance provenance) {
        PngWriter.write(grid(x, xHat, columns), file, provenance);
    }
}
