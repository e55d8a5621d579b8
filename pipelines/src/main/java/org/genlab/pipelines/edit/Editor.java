package org.genlab.pipelines.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.genlab.core.GenLabException;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.inpaint.Inpainter;
import org.genlab.diffusion.latent.LatentDiffusion;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.train.TrainedModel;

/**
 * Sequential text-guided editing (GLIDE, Nichol et al. 2022, Figure 4): each {@link Edit} crops its
 * cell from the canvas, repaints the masked region with a text-conditional model — RePaint
 * inpainting (Lugmayr et al. 2022) guided towards the prompt with classifier-free guidance,
 *
 * <pre>
 *   ε̃ = ε(x_t, ∅) + w (ε(x_t, prompt) − ε(x_t, ∅))
 *   x_{t−1} = m ⊙ q(x_{t−1} | x_0^known) + (1 − m) ⊙ p_θ(x_{t−1} | x_t, prompt)
 * </pre>
 *
 * — pastes the kept pixels back exactly, and puts the cell back in the canvas. Pixels outside the
 * mask never change; a latent model repaints on its latent grid and the kept pixels are pasted back
 * after decoding.
 *
 * <pre>{@code
 * Editor editor = Editor.builder().setModel(model).setTokenizer(t -> tokenizer.encode(t, 16))
 *         .optGuidance(3f).build();
 * NDArray canvas = Editor.blank(manager, model.imageShape(), 2, 2);
 * List<NDArray> frames = editor.run(canvas, List.of(
 *         Edit.parse("top-left=a bold 3", 2, 2), Edit.parse("bottom-right=a thin 4", 2, 2)));
 * }</pre>
 */
public final class Editor {

    private final TrainedModel model;
    private final Function<String, long[]> tokenizer;
    private final float guidance;
    private final int steps;
    private final int resample;
    private final long seed;

    private Editor(Builder b) {
        model = b.model;
        tokenizer = b.tokenizer;
        guidance = b.guidance;
        steps = b.steps;
        resample = b.resample;
        seed = b.seed;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An empty canvas (black, −1 in GenLab's range) of rows × columns cells of the model's size.
     *
     * @param manager where it lives
     * @param cell (C, H, W) of one cell
     * @param rows cell rows
     * @param columns cell columns
     * @return (1, C, rows·H, columns·W)
     */
    public static NDArray blank(NDManager manager, Shape cell, int rows, int columns) {
        return manager.full(
                new Shape(1, cell.get(0), rows * cell.get(1), columns * cell.get(2)), -1f);
    }

    /**
     * Cuts one cell out of a canvas.
     *
     * @param canvas (1, C, rows·H, columns·W)
     * @param row the cell's row
     * @param column its column
     * @param cell (C, H, W)
     * @return (1, C, H, W)
     */
    public static NDArray cell(NDArray canvas, int row, int column, Shape cell) {
        long h = cell.get(1);
        long w = cell.get(2);
        return canvas.get(
                new NDIndex(
                        ":, :, {}:{}, {}:{}",
                        row * h,
                        (row + 1) * h,
                        column * w,
                        (column + 1) * w));
    }

    /**
     * Applies one edit.
     *
     * @param canvas (1, C, rows·H, columns·W) in [−1, 1] (not modified)
     * @param edit what to repaint and with which prompt
     * @return the new canvas
     */
    public NDArray apply(NDArray canvas, Edit edit) {
        Shape img = model.imageShape();
        long h = img.get(1);
        long w = img.get(2);
        Shape s = canvas.getShape();
        if (s.dimension() != 4
                || s.get(0) != 1
                || s.get(1) != img.get(0)
                || s.get(2) % h != 0
                || s.get(3) % w != 0) {
            throw new GenLabException(
                    "A canvas for this model is (1, "
                            + img.get(0)
                            + ", rows·"
                            + h
                            + ", columns·"
                            + w
                            + "), got "
                            + s
                            + ".");
        }
        if (edit.row() >= s.get(2) / h || edit.column() >= s.get(3) / w) {
            throw new GenLabException("The edit " + edit + " is outside the canvas.");
        }
        NDManager m = canvas.getManager();
        NDArray out = canvas.duplicate();
        try (NDManager sub = m.newSubManager()) {
            NDArray x = cell(canvas, edit.row(), edit.column(), img);
            x.attach(sub);
            // 1 where the pixel is kept, 0 where it is repainted
            NDArray mk = Regions.mask(sub, edit.region(), (int) h, (int) w);
            NDArray ids = sub.create(new long[][] {tokenizer.apply(edit.prompt())});
            Denoiser d = ClassifierFreeGuidance.forCaptions(model.denoiser(), guidance);
            NDArray known = model.encode(x);
            NDArray latentMask =
                    model.isLatent() ? LatentDiffusion.latentMask(mk, model.sampleShape()) : mk;
            Seeds.seed(seed);
            Inpainter inp =
                    Inpainter.builder()
                            .setSampler(model.sampler(model.defaultSampler(), steps, 0f))
                            .optResampling(resample)
                            .build();
            NDArray done = model.decode(inp.inpaint(d, known, latentMask, ids, null));
            // the kept pixels exactly as they were
            done = LatentDiffusion.pasteKnown(x, done, mk).clip(-1f, 1f);
            out.set(
                    new NDIndex(
                            ":, :, {}:{}, {}:{}",
                            edit.row() * h,
                            (edit.row() + 1) * h,
                            edit.column() * w,
                            (edit.column() + 1) * w),
                    done);
        }
        return out;
    }

    /**
     * Applies edits one after another.
     *
     * @param canvas the start (not modified)
     * @param edits the edits, in order
     * @return the canvas before the first edit and after each one (edits + 1 arrays)
     */
    public List<NDArray> run(NDArray canvas, List<Edit> edits) {
        List<NDArray> frames = new ArrayList<>();
        frames.add(canvas.duplicate());
        NDArray now = canvas;
        for (Edit e : edits) {
            now = apply(now, e);
            frames.add(now);
        }
        return frames;
    }

    /**
     * Draws the frames of a run side by side, each under its title (the edit that made it).
     *
     * @param frames canvases (1, C, H, W)
     * @param titles one per frame
     * @param scale pixel scale
     * @return the strip
     */
    public static BufferedImage strip(List<NDArray> frames, List<String> titles, int scale) {
        List<BufferedImage> pics = new ArrayList<>();
        for (NDArray f : frames) {
            pics.add(ImageTensors.toImages(f).get(0));
        }
        int fw = pics.get(0).getWidth() * scale;
        int fh = pics.get(0).getHeight() * scale;
        int pad = 8;
        int text = 34;
        BufferedImage out =
                new BufferedImage(
                        pics.size() * (fw + pad) + pad,
                        fh + text + 2 * pad,
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < pics.size(); i++) {
            int x = pad + i * (fw + pad);
            g.drawImage(pics.get(i), x, pad, fw, fh, null);
            g.setColor(Color.DARK_GRAY);
            String t = i < titles.size() ? titles.get(i) : "";
            drawWrapped(g, t, x, fh + pad + 13, fw);
        }
        g.dispose();
        return out;
    }

    /** The frames alone, scaled, for a GIF. */
    static List<BufferedImage> scaled(List<NDArray> frames, int scale) {
        List<BufferedImage> out = new ArrayList<>();
        for (NDArray f : frames) {
            BufferedImage p = ImageTensors.toImages(f).get(0);
            BufferedImage big =
                    new BufferedImage(
                            p.getWidth() * scale,
                            p.getHeight() * scale,
                            BufferedImage.TYPE_INT_RGB);
            Graphics2D g = big.createGraphics();
            g.drawImage(p, 0, 0, big.getWidth(), big.getHeight(), null);
            g.dispose();
            out.add(big);
        }
        return out;
    }

    /**
     * The frames of a run scaled up for an animation ({@code AnimatedGif.write}).
     *
     * @param frames canvases
     * @param scale pixel scale
     * @return the pictures
     */
    public static List<BufferedImage> animationFrames(List<NDArray> frames, int scale) {
        return scaled(frames, scale);
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
        StringBuilder line = new StringBuilder();
        int lineY = y;
        for (String word : text.split(" ")) {
            String next = line.length() == 0 ? word : line + " " + word;
            if (g.getFontMetrics().stringWidth(next) > width && line.length() > 0) {
                g.drawString(line.toString(), x, lineY);
                lineY += 13;
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(next);
            }
        }
        g.drawString(line.toString(), x, lineY);
    }

    /** Builds an {@link Editor}. */
    public static final class Builder {
        private TrainedModel model;
        private Function<String, long[]> tokenizer;
        private float guidance = 3f;
        private int steps = 50;
        private int resample = 5;
        private long seed = 1234;

        private Builder() {}

        /**
         * Sets the text-conditional model.
         *
         * @param model an opened run
         * @return this
         */
        public Builder setModel(TrainedModel model) {
            this.model = model;
            return this;
        }

        /**
         * Sets how a prompt becomes the model's token ids (the run's tokenizer).
         *
         * @param tokenizer prompt → ids, padded to the model's caption length
         * @return this
         */
        public Builder setTokenizer(Function<String, long[]> tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * Sets the guidance weight w (default 3).
         *
         * @param w the weight
         * @return this
         */
        public Builder optGuidance(float w) {
            this.guidance = w;
            return this;
        }

        /**
         * Sets the sampler steps (default 50) and RePaint resamplings (default 5).
         *
         * @param steps sampler steps
         * @param resample resamplings r
         * @return this
         */
        public Builder optSteps(int steps, int resample) {
            this.steps = steps;
            this.resample = resample;
            return this;
        }

        /**
         * Sets the seed of each edit's noise (default 1234).
         *
         * @param seed the seed
         * @return this
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the editor.
         *
         * @return the editor
         */
        public Editor build() {
            if (model == null || tokenizer == null) {
                throw new GenLabException("Editor: setModel and setTokenizer are required.");
            }
            if (!model.isTextConditional()) {
                throw new GenLabException(
                        "Editing with prompts needs a text-conditional run (genlab train diffusion"
                                + " --text); this one is not.");
            }
            return new Editor(this);
        }
    }
}
