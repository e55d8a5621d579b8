package org.genlab.core.lab;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.genlab.core.GenLab;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.nn.Params;

/**
 * The few helpers every lecture notebook uses, so that a notebook's first cell is its imports and
 * one line: {@code import static org.genlab.core.lab.Lab.*;}. Pictures are still shown with the
 * kernel's own {@code display(...)}.
 *
 * <pre>{@code
 * import static org.genlab.core.lab.Lab.*;
 * boolean CI = ci();                       // CI=true: every notebook small and quick
 * Path run = freshRun("dcgan");            // runs/dcgan, emptied
 * display(row(List.of(a, b), List.of("before", "after"), 300));
 * }</pre>
 */
public final class Lab {

    private Lab() {}

    /**
     * Tells whether the notebook runs in its small form: {@code CI=true} in the environment (set by
     * CI and by the notebook tests).
     *
     * @return true for the small, quick form
     */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Chooses a size by the notebook's form.
     *
     * @param full the value for a full run
     * @param small the value under {@code CI=true}
     * @return {@code small} in CI, else {@code full}
     */
    public static int size(int full, int small) {
        return ci() ? small : full;
    }

    /**
     * Prints the GenLab version and the notebook's form, the first output of every notebook.
     *
     * @return the same line
     */
    public static String hello() {
        String line = "GenLab " + GenLab.version() + (ci() ? ", CI mode: small and quick" : "");
        System.out.println(line);
        return line;
    }

    /**
     * Returns an empty run folder {@code runs/NAME} (deleting what an earlier run of the notebook
     * left there), so that every run of a notebook starts from scratch.
     *
     * @param name the run's name
     * @return the folder's path (created by the trainer)
     */
    public static Path freshRun(String name) {
        Path dir = Path.of("runs", name);
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /**
     * Puts pictures side by side, each scaled to the same width, with a caption above each.
     *
     * @param images the pictures
     * @param captions one caption per picture (or null)
     * @param width the width of each tile, in pixels
     * @return one picture
     */
    public static BufferedImage row(List<BufferedImage> images, List<String> captions, int width) {
        List<BufferedImage> tiles = new ArrayList<>();
        for (BufferedImage img : images) {
            int h = img.getHeight() * width / img.getWidth();
            BufferedImage t = new BufferedImage(width, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = t.createGraphics();
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, h, null);
            g.dispose();
            tiles.add(t);
        }
        SampleGrid.Builder grid = SampleGrid.builder().setImages(tiles).optColumns(tiles.size());
        if (captions != null) {
            grid.optColumnLabels(captions);
        }
        return grid.build().render();
    }

    /**
     * Counts a network's parameters (its weights and, e.g., BatchNorm's running statistics).
     *
     * @param net an initialised network
     * @return the number of numbers it holds
     */
    public static long parameterCount(Block net) {
        long total = 0;
        for (Parameter p : Params.named(net).values()) {
            total += p.getArray().size();
        }
        return total;
    }
}
