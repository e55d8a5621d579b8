package org.genlab.core.image;

import ai.djl.ndarray.NDArray;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.genlab.core.GenLabException;

/**
 * Lays a batch of images out as one picture: rows and columns of tiles, optionally with a label in
 * front of each row (e.g. the class asked for) and above each column (e.g. the sampling step).
 *
 * <pre>{@code
 * BufferedImage grid = SampleGrid.builder().setImages(samples).optColumns(8).optScale(2).build().render();
 * }</pre>
 */
public final class SampleGrid {

    private final List<BufferedImage> tiles;
    private final int columns;
    private final int padding;
    private final int scale;
    private final List<String> rowLabels;
    private final List<String> columnLabels;

    private SampleGrid(Builder b) {
        this.tiles = b.tiles;
        this.columns = b.columns > 0 ? b.columns : (int) Math.ceil(Math.sqrt(b.tiles.size()));
        this.padding = b.padding;
        this.scale = b.scale;
        this.rowLabels = b.rowLabels;
        this.columnLabels = b.columnLabels;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of columns of tiles.
     *
     * @return the columns
     */
    public int columns() {
        return columns;
    }

    /**
     * Returns the number of rows of tiles.
     *
     * @return the rows
     */
    public int rows() {
        return (tiles.size() + columns - 1) / columns;
    }

    /**
     * Draws the grid.
     *
     * @return the picture: tiles on a dark background, labels in white
     */
    public BufferedImage render() {
        int tw = tiles.get(0).getWidth() * scale;
        int th = tiles.get(0).getHeight() * scale;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, th / 2)));
        int left = rowLabels == null ? 0 : labelWidth(rowLabels, font) + padding * 2;
        int top = columnLabels == null ? 0 : font.getSize() + padding * 3;
        int rows = rows();
        int width = left + padding + columns * (tw + padding);
        int height = top + padding + rows * (th + padding);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(new Color(24, 24, 24));
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int i = 0; i < tiles.size(); i++) {
                int r = i / columns;
                int c = i % columns;
                g.drawImage(
                        tiles.get(i),
                        left + padding + c * (tw + padding),
                        top + padding + r * (th + padding),
                        tw,
                        th,
                        null);
            }
            g.setColor(Color.WHITE);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            if (rowLabels != null) {
                for (int r = 0; r < Math.min(rows, rowLabels.size()); r++) {
                    int y = top + padding + r * (th + padding) + th / 2 + fm.getAscent() / 2;
                    g.drawString(rowLabels.get(r), padding, y);
                }
            }
            if (columnLabels != null) {
                for (int c = 0; c < Math.min(columns, columnLabels.size()); c++) {
                    String s = columnLabels.get(c);
                    int x = left + padding + c * (tw + padding) + (tw - fm.stringWidth(s)) / 2;
                    g.drawString(s, x, padding + fm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int labelWidth(List<String> labels, Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            FontMetrics fm = g.getFontMetrics(font);
            int w = 0;
            for (String s : labels) {
                w = Math.max(w, fm.stringWidth(s));
            }
            return w;
        } finally {
            g.dispose();
        }
    }

    /** Builds a {@link SampleGrid}. */
    public static final class Builder {
        private List<BufferedImage> tiles;
        private int columns;
        private int padding = 2;
        private int scale = 1;
        private List<String> rowLabels;
        private List<String> columnLabels;

        Builder() {}

        /**
         * Sets the images, in reading order.
         *
         * @param images the tiles, all of one size
         * @return this builder
         */
        public Builder setImages(List<BufferedImage> images) {
            this.tiles = List.copyOf(images);
            return this;
        }

        /**
         * Sets the images from an {@code (N, C, H, W)} tensor in {@code [-1, 1]}.
         *
         * @param batch the tensor
         * @return this builder
         */
        public Builder setImages(NDArray batch) {
            return setImages(ImageTensors.toImages(batch));
        }

        /**
         * Sets the number of columns; by default the grid is as square as possible.
         *
         * @param columns tiles per row
         * @return this builder
         */
        public Builder optColumns(int columns) {
            this.columns = columns;
            return this;
        }

        /**
         * Sets the gap between tiles, in pixels.
         *
         * @param padding the gap (default 2)
         * @return this builder
         */
        public Builder optPadding(int padding) {
            this.padding = padding;
            return this;
        }

        /**
         * Enlarges each tile by a whole factor (nearest neighbour), so 28-pixel digits are visible.
         *
         * @param scale the factor (default 1)
         * @return this builder
         */
        public Builder optScale(int scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Sets a label drawn left of each row.
         *
         * @param labels one label per row
         * @return this builder
         */
        public Builder optRowLabels(List<String> labels) {
            this.rowLabels = labels;
            return this;
        }

        /**
         * Sets a label drawn above each column.
         *
         * @param labels one label per column
         * @return this builder
         */
        public Builder optColumnLabels(List<String> labels) {
            this.columnLabels = labels;
            return this;
        }

        /**
         * Builds the grid.
         *
         * @return the grid
         */
        public SampleGrid build() {
            if (tiles == null || tiles.isEmpty()) {
                throw new GenLabException("A sample grid needs at least one image.");
            }
            if (scale < 1 || padding < 0 || columns < 0) {
                throw new GenLabException(
                        "Grid scale must be >= 1, padding >= 0 and columns >= 0 (0 = automatic).");
            }
            return new SampleGrid(this);
        }
    }
}
