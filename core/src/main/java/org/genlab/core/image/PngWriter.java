package org.genlab.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
import org.w3c.dom.Node;

/**
 * Writes PNGs with their {@link Provenance} in text chunks, and reads those chunks back.
 *
 * <p>Files are written atomically through {@link AtomicFiles}: a reader never sees half a picture,
 * and a failed write (disk full, no permission) is a one-line {@link GenLabException} that leaves
 * the previous file as it was. The PNG is assembled in memory, not in ImageIO's cache file under
 * {@code java.io.tmpdir}, so a full or unwritable temporary folder cannot break it.
 */
public final class PngWriter {

    private static final String FORMAT = "javax_imageio_png_1.0";
    private static final String XMP_KEY = "XML:com.adobe.xmp";

    private PngWriter() {}

    /**
     * Writes an image with its label.
     *
     * @param image the picture
     * @param file where to write it ({@code .png})
     * @param provenance the label
     */
    public static void write(BufferedImage image, Path file, Provenance provenance) {
        AtomicFiles.write(file, out -> writeTo(image, out, provenance));
    }

    private static void writeTo(BufferedImage image, java.io.OutputStream os, Provenance p)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(os)) {
            writer.setOutput(out);
            IIOMetadata meta =
                    writer.getDefaultImageMetadata(
                            ImageTypeSpecifier.createFromRenderedImage(image), null);
            IIOMetadataNode root = new IIOMetadataNode(FORMAT);
            IIOMetadataNode text = new IIOMetadataNode("tEXt");
            for (Map.Entry<String, String> e : p.text().entrySet()) {
                IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("value", e.getValue());
                text.appendChild(entry);
            }
            root.appendChild(text);
            IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
            IIOMetadataNode xmp = new IIOMetadataNode("iTXtEntry");
            xmp.setAttribute("keyword", XMP_KEY);
            xmp.setAttribute("compressionFlag", "FALSE");
            xmp.setAttribute("compressionMethod", "0");
            xmp.setAttribute("languageTag", "");
            xmp.setAttribute("translatedKeyword", "");
            xmp.setAttribute("text", p.xmp());
            itxt.appendChild(xmp);
            root.appendChild(itxt);
            try {
                meta.mergeTree(FORMAT, root);
            } catch (IIOInvalidTreeException e) {
                throw new IOException("Cannot build PNG metadata: " + e.getMessage(), e);
            }
            writer.write(new IIOImage(image, null, meta));
        } finally {
            writer.dispose();
        }
    }

    /**
     * Reads the text chunks of a PNG: {@code tEXt}, {@code zTXt} and {@code iTXt} entries.
     *
     * @param file a PNG
     * @return keyword to value, in file order (empty if the PNG has none)
     * @throws GenLabException if the file is missing or not a PNG
     */
    public static Map<String, String> readText(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GenLabException("No such file: " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new GenLabException(file + " is not an image GenLab can read.");
            }
            ImageReader reader = readers.next();
            try {
                if (!reader.getFormatName().equalsIgnoreCase("png")) {
                    throw new GenLabException(
                            file + " is a " + reader.getFormatName() + ", not a PNG.");
                }
                reader.setInput(in);
                Node root = reader.getImageMetadata(0).getAsTree(FORMAT);
                Map<String, String> out = new LinkedHashMap<>();
                for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                    for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                        var attrs = e.getAttributes();
                        if (attrs == null || attrs.getNamedItem("keyword") == null) {
                            continue;
                        }
                        String key = attrs.getNamedItem("keyword").getNodeValue();
                        Node value = attrs.getNamedItem("value");
                        if (value == null) {
                            value = attrs.getNamedItem("text");
                        }
                        if (value != null) {
                            out.put(key, value.getNodeValue());
                        }
                    }
                }
                return out;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new GenLabException(
                    "Cannot read " + file + " as a PNG (" + e.getMessage() + ").", e);
        }
    }

    /**
     * Reads a PNG's pixels.
     *
     * @param file a PNG
     * @return the picture
     */
    public static BufferedImage read(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new GenLabException(file + " is not an image GenLab can read.");
            }
            return img;
        } catch (IOException e) {
            throw new GenLabException(
                    "Cannot read " + file + " as an image (" + e.getMessage() + ").", e);
        }
    }
}
