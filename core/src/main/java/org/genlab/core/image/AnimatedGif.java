package org.genlab.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;

/**
 * Writes a sequence of pictures as a looping animated GIF: a denoising trajectory, the samples of a
 * run epoch by epoch, a walk through latent space. The GIF's comment carries the AI-generated
 * disclosure of {@link Provenance}.
 *
 * <p>Like {@link PngWriter}, it writes atomically through {@link AtomicFiles} (a failure is one
 * {@link GenLabException}, the old file stays) and assembles the file in memory rather than in
 * ImageIO's cache file under {@code java.io.tmpdir}.
 */
public final class AnimatedGif {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private AnimatedGif() {}

    /**
     * Writes the animation.
     *
     * @param file where to write it ({@code .gif})
     * @param frames the pictures, all of one size, converted to RGB
     * @param delayMillis how long each frame shows
     * @param lastFrameMillis how long the last frame shows (a pause before the loop restarts)
     * @param provenance the label written into the GIF comment
     */
    public static void write(
            Path file,
            List<BufferedImage> frames,
            int delayMillis,
            int lastFrameMillis,
            Provenance provenance) {
        if (frames.isEmpty()) {
            throw new GenLabException("An animation needs at least one frame.");
        }
        AtomicFiles.write(
                file,
                os -> {
                    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
                    try (ImageOutputStream out = new MemoryCacheImageOutputStream(os)) {
                        writer.setOutput(out);
                        writer.prepareWriteSequence(null);
                        for (int i = 0; i < frames.size(); i++) {
                            BufferedImage f = toRgb(frames.get(i));
                            boolean last = i == frames.size() - 1;
                            IIOMetadata meta =
                                    frameMetadata(
                                            writer,
                                            f,
                                            last ? lastFrameMillis : delayMillis,
                                            i == 0,
                                            provenance);
                            writer.writeToSequence(new IIOImage(f, null, meta), null);
                        }
                        writer.endWriteSequence();
                    } finally {
                        writer.dispose();
                    }
                });
    }

    /**
     * Counts the frames of a GIF.
     *
     * @param file a GIF
     * @return the number of frames
     */
    public static int frameCount(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            try {
                reader.setInput(in);
                return reader.getNumImages(true);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new GenLabException("Cannot read " + file + " as a GIF: " + e.getMessage(), e);
        }
    }

    private static IIOMetadata frameMetadata(
            ImageWriter writer, BufferedImage f, int delayMillis, boolean first, Provenance p)
            throws IOException {
        IIOMetadata meta =
                writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(f), null);
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMillis / 10)));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // loop forever
            apps.appendChild(app);
            IIOMetadataNode comments = child(root, "CommentExtensions");
            IIOMetadataNode c = new IIOMetadataNode("CommentExtension");
            c.setAttribute(
                    "value",
                    p.text().get(Provenance.KEY_DISCLOSURE)
                            + " "
                            + Provenance.KEY_SOURCE_TYPE
                            + ": "
                            + Provenance.TRAINED_ALGORITHMIC_MEDIA);
            comments.appendChild(c);
        }
        try {
            meta.setFromTree(FORMAT, root);
        } catch (IIOInvalidTreeException e) {
            throw new IOException("Cannot build GIF metadata: " + e.getMessage(), e);
        }
        return meta;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb =
                new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        return rgb;
    }
}
