package org.genlab.cli.notebooks;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * Stands in for the {@code display(Object)} that the Java kernels (rapaio-jupyter-kernel, JJava,
 * IJava) put into a notebook's scope: pictures are written as PNG files into a folder and counted,
 * anything else is printed.
 */
public final class Displays {

    private static Path folder;
    private static int images;

    private Displays() {}

    /**
     * Sets where pictures go.
     *
     * @param dir the folder
     */
    public static synchronized void writeTo(Path dir) {
        folder = dir;
    }

    /**
     * Returns how many pictures were displayed.
     *
     * @return the count
     */
    public static synchronized int images() {
        return images;
    }

    /**
     * Displays an object as a kernel would: a picture as a PNG, anything else as text.
     *
     * @param o the object
     * @return a display id, as the kernels return
     */
    public static synchronized String show(Object o) {
        if (o instanceof RenderedImage img) {
            images++;
            if (folder != null) {
                Path file = folder.resolve(String.format(Locale.ROOT, "display-%02d.png", images));
                try {
                    Files.createDirectories(folder);
                    ImageIO.write(img, "png", file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.out.printf(
                        Locale.ROOT,
                        "[image %dx%d -> %s]%n",
                        img.getWidth(),
                        img.getHeight(),
                        file.getFileName());
            }
        } else {
            System.out.println(o);
        }
        return UUID.randomUUID().toString();
    }
}
