package org.genlab.text.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A picture of the shared space: image and text embeddings projected onto the same plane by PCA
 * (the two directions of largest variance of all the points together), images as dots coloured by
 * class, captions as their text. In a trained CLIP each caption sits among its images.
 *
 * <pre>
 *   X = [I; T] − mean,   C = XᵀX / (n − 1) = V Λ Vᵀ,   plane = X [v₁ v₂]
 * </pre>
 *
 * <p>A caveat worth showing students: CLIP's image and text embeddings occupy two separate cones of
 * the sphere (the "modality gap", Liang et al., NeurIPS 2022), so the first principal direction
 * often separates images from texts; matching pairs are then side by side along the second.
 */
public final class EmbeddingMap {

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
        new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34),
        new Color(23, 190, 207)
    };

    private EmbeddingMap() {}

    /**
     * Projects points onto their two principal directions (ND4J's symmetric eigensolver; DJL has
     * none).
     *
     * @param points (n, E)
     * @return (n, 2) coordinates
     */
    public static double[][] pca2(float[][] points) {
        INDArray x =
                Nd4j.createFromArray(points).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        if (x.rows() < 2 || x.columns() < 2) {
            throw new GenLabException(
                    "PCA to 2D needs at least 2 points of at least 2 dimensions, got "
                            + x.rows()
                            + " × "
                            + x.columns()
                            + ".");
        }
        // X − mean;  C = XᵀX / (n − 1)
        x.subiRowVector(x.mean(0));
        INDArray c = x.transpose().mmul(x).divi(x.rows() - 1);
        c = c.add(c.transpose()).muli(0.5);
        // C = V Λ Vᵀ, eigenvalues ascending: the last two columns are v₁, v₂
        INDArray lambda = Eigen.symmetricGeneralizedEigenvalues(c, true);
        int e = (int) lambda.length();
        INDArray v =
                Nd4j.hstack(c.getColumn(e - 1).reshape(e, 1), c.getColumn(e - 2).reshape(e, 1));
        return x.mmul(v).toDoubleMatrix();
    }

    /**
     * Draws image embeddings (dots coloured by class) and caption embeddings (their text) in one
     * PCA plane, as a PNG.
     *
     * @param imageEmb (N, E)
     * @param imageClass N class indices (colour), or null for one colour
     * @param textEmb (M, E)
     * @param captions M captions
     * @param png the file
     */
    public static void draw(
            NDArray imageEmb, int[] imageClass, NDArray textEmb, List<String> captions, Path png) {
        draw(imageEmb, imageClass, null, textEmb, captions, png);
    }

    /**
     * Draws the map with some of the images themselves: every image as a dot, and about one in four
     * (at most 150) as a small thumbnail at its place, framed in its class colour.
     *
     * @param imageEmb (N, E)
     * @param imageClass N class indices (colour), or null for one colour
     * @param images the N images (N, C, H, W) in [−1, 1], or null for dots only
     * @param textEmb (M, E)
     * @param captions M captions
     * @param png the file
     */
    public static void draw(
            NDArray imageEmb,
            int[] imageClass,
            NDArray images,
            NDArray textEmb,
            List<String> captions,
            Path png) {
        int n = (int) imageEmb.getShape().get(0);
        int m = (int) textEmb.getShape().get(0);
        if (captions.size() != m) {
            throw new GenLabException(
                    "EmbeddingMap.draw needs one caption per text embedding: "
                            + captions.size()
                            + " for "
                            + m
                            + ".");
        }
        int e = (int) imageEmb.getShape().get(1);
        float[] fi = imageEmb.toType(DataType.FLOAT32, false).toFloatArray();
        float[] ft = textEmb.toType(DataType.FLOAT32, false).toFloatArray();
        float[][] all = new float[n + m][e];
        for (int r = 0; r < n + m; r++) {
            System.arraycopy(r < n ? fi : ft, (r < n ? r : r - n) * e, all[r], 0, e);
        }
        double[][] p = pca2(all);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (double[] q : p) {
            minX = Math.min(minX, q[0]);
            maxX = Math.max(maxX, q[0]);
            minY = Math.min(minY, q[1]);
            maxY = Math.max(maxY, q[1]);
        }
        int size = 800;
        int margin = 60;
        double sx = (size - 2 * margin) / Math.max(1e-9, maxX - minX);
        double sy = (size - 2 * margin) / Math.max(1e-9, maxY - minY);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        for (int r = 0; r < n; r++) {
            int x = (int) (margin + (p[r][0] - minX) * sx);
            int y = (int) (size - margin - (p[r][1] - minY) * sy);
            Color c = imageClass == null ? PALETTE[0] : PALETTE[imageClass[r] % PALETTE.length];
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
            g.fillOval(x - 3, y - 3, 6, 6);
        }
        if (images != null) {
            // thumbnails of a spread of the images, framed in their class colour
            List<BufferedImage> thumbs = org.genlab.core.image.ImageTensors.toImages(images);
            int every = Math.max(4, (n + 149) / 150);
            int t = 20;
            for (int r = 0; r < n; r += every) {
                int x = (int) (margin + (p[r][0] - minX) * sx);
                int y = (int) (size - margin - (p[r][1] - minY) * sy);
                Color c = imageClass == null ? PALETTE[0] : PALETTE[imageClass[r] % PALETTE.length];
                g.drawImage(thumbs.get(r), x - t / 2, y - t / 2, t, t, null);
                g.setColor(c);
                g.drawRect(x - t / 2 - 1, y - t / 2 - 1, t + 1, t + 1);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.setStroke(new BasicStroke(1.5f));
        for (int r = n; r < n + m; r++) {
            int x = (int) (margin + (p[r][0] - minX) * sx);
            int y = (int) (size - margin - (p[r][1] - minY) * sy);
            g.setColor(Color.BLACK);
            g.drawLine(x - 4, y - 4, x + 4, y + 4);
            g.drawLine(x - 4, y + 4, x + 4, y - 4);
            g.drawString(captions.get(r - n), x + 6, y - 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        if (imageClass != null) {
            // legend: class index by colour, top right
            int classes = java.util.Arrays.stream(imageClass).max().orElse(0) + 1;
            for (int k = 0; k < classes; k++) {
                g.setColor(PALETTE[k % PALETTE.length]);
                g.fillOval(size - 40, 30 + 16 * k, 8, 8);
                g.setColor(Color.DARK_GRAY);
                g.drawString("class " + k, size - 90, 38 + 16 * k);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(
                images == null
                        ? "images: dots coloured by class; captions: × with their text (PCA of"
                                + " both)"
                        : "images: dots and thumbnails framed by class; captions: × with their"
                                + " text (PCA of both)",
                10,
                16);
        g.dispose();
        AtomicFiles.write(
                png,
                out -> {
                    try (ImageOutputStream s = new MemoryCacheImageOutputStream(out)) {
                        if (!ImageIO.write(img, "png", s)) {
                            throw new IOException("this Java has no PNG writer");
                        }
                    }
                });
    }
}
