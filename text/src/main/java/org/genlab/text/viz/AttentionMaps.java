package org.genlab.text.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;

/**
 * Draws a text encoder's attention as heat maps, one per head: row i is the query word, column j
 * the key word, and the darker the cell the larger A_ij = softmax_j(q_i·k_j/√d + M_ij), the share
 * of word j in word i's new vector. Rows sum to 1. Only the caption's words are drawn (PAD keys
 * have weight 0 anyway).
 *
 * <pre>{@code
 * NDList layers = encoder.attention(ps, tok.encode(m, List.of("a small seven"), 8));
 * NDArray first = layers.get(0).get(0);                 // layer 1, caption 0: (heads, L, L)
 * AttentionMaps.draw(tok.words("a small seven"), first, Path.of("attention.png"));
 * }</pre>
 */
public final class AttentionMaps {

    private static final int CELL = 36;
    private static final int GAP = 24;

    private AttentionMaps() {}

    /**
     * Draws one caption's attention weights, a panel per head, as a PNG.
     *
     * @param words the caption's n words (its first n ids)
     * @param weights (heads, L, L) with L ≥ n
     * @param png the file
     */
    public static void draw(List<String> words, NDArray weights, Path png) {
        if (weights.getShape().dimension() != 3
                || weights.getShape().get(1) < words.size()
                || weights.getShape().get(1) != weights.getShape().get(2)) {
            throw new GenLabException(
                    "AttentionMaps.draw takes one caption's weights (heads, L, L) with L >= "
                            + words.size()
                            + " words, got "
                            + weights.getShape()
                            + ": pick one layer and one caption, e.g. layers.get(0).get(0).");
        }
        int heads = (int) weights.getShape().get(0);
        int n = words.size();
        float[] a =
                weights.get(new NDIndex(":, 0:{}, 0:{}", n, n))
                        .toType(DataType.FLOAT32, false)
                        .toFloatArray();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(font);
        int label = 8;
        for (String w : words) {
            label = Math.max(label, fm.stringWidth(w) + 8);
        }
        int panel = n * CELL;
        int width = label + heads * (panel + GAP);
        int height = label + panel + 28;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(font);
        for (int h = 0; h < heads; h++) {
            int x0 = label + h * (panel + GAP);
            int y0 = label + 20;
            g.setColor(Color.BLACK);
            g.drawString("head " + (h + 1), x0, 16);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float v = Math.max(0, Math.min(1, a[(h * n + i) * n + j]));
                    // white (0) to dark blue (1)
                    g.setColor(new Color(1 - 0.85f * v, 1 - 0.75f * v, 1 - 0.35f * v));
                    g.fillRect(x0 + j * CELL, y0 + i * CELL, CELL, CELL);
                }
            }
            g.setColor(Color.GRAY);
            g.drawRect(x0, y0, panel, panel);
            g.setColor(Color.BLACK);
            for (int j = 0; j < n; j++) {
                // key words along the top, turned upright
                AffineTransform saved = g.getTransform();
                g.translate(x0 + j * CELL + CELL / 2 + 5, y0 - 4);
                g.rotate(-Math.PI / 2);
                g.drawString(words.get(j), 0, 0);
                g.setTransform(saved);
            }
        }
        for (int i = 0; i < n; i++) {
            g.drawString(words.get(i), 4, label + 20 + i * CELL + CELL / 2 + 5);
        }
        g.dispose();
        write(img, png);
    }

    static void write(BufferedImage img, Path file) {
        AtomicFiles.write(
                file,
                out -> {
                    try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                        if (!ImageIO.write(img, "png", png)) {
                            throw new IOException("this Java has no PNG writer");
                        }
                    }
                });
    }
}
