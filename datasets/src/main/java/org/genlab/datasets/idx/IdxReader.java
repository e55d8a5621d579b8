package org.genlab.datasets.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.genlab.core.GenLabException;

/**
 * Reads IDX image and label files, raw or gzipped, and validates them as it reads.
 *
 * <p>Every problem — a missing file or a directory in its place, a wrong magic number or rank,
 * absurd dimensions, a file that ends early or goes on after its last item, a label outside 0..9 —
 * is a {@link GenLabException} whose message starts with the file's path. The header's item count
 * is compared with the file's length <em>before</em> anything is allocated from it, so a header
 * claiming 2<sup>31</sup> items in a small file is one line, not an {@code OutOfMemoryError}. For a
 * gzipped file the length is the uncompressed length its gzip trailer records, so a gzip of several
 * concatenated members (which no official file is) must be gunzipped first.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte IDX file of rank 1 (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Magic number of an unsigned-byte IDX file of rank 3 (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private static final int MAX_SIDE = 4096;

    /** The most items (and bytes) one Java array holds. */
    private static final long MAX_ITEMS = Integer.MAX_VALUE - 8;

    private IdxReader() {}

    /**
     * Reads only the header of an IDX file.
     *
     * @param file the file, raw or gzipped
     * @param expectedRank 1 for labels, 3 for images
     * @return its header
     */
    public static IdxHeader header(Path file, int expectedRank) {
        try (DataInputStream in = open(file)) {
            return readHeader(file, in, expectedRank);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Reads and validates a label file.
     *
     * @param file the file, raw or gzipped
     * @param numClasses labels must lie in {@code 0..numClasses-1}
     * @return one label per item
     */
    public static byte[] readLabels(Path file, int numClasses) {
        try (DataInputStream in = open(file)) {
            IdxHeader h = readHeader(file, in, 1);
            byte[] labels = new byte[h.count()];
            readBody(file, in, labels, 0, labels.length, h.count(), "labels", 0);
            expectEnd(file, in, h.count() + " labels");
            for (int i = 0; i < labels.length; i++) {
                int v = labels[i] & 0xFF;
                if (v >= numClasses) {
                    throw new GenLabException(
                            file
                                    + ": label "
                                    + v
                                    + " at index "
                                    + i
                                    + " is out of range 0.."
                                    + (numClasses - 1));
                }
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Reads and validates an image file, keeping every image.
     *
     * @param file the file, raw or gzipped
     * @return the images
     */
    public static IdxImages readImages(Path file) {
        return readImages(file, null);
    }

    /**
     * Reads and validates an image file, keeping only the images {@code keep} marks. The whole file
     * is still read and checked.
     *
     * @param file the file, raw or gzipped
     * @param keep which images to keep ({@code null} keeps all); its length must equal the file's
     *     image count
     * @return the kept images, in file order
     */
    public static IdxImages readImages(Path file, boolean[] keep) {
        try (DataInputStream in = open(file)) {
            IdxHeader h = readHeader(file, in, 3);
            if (keep != null && keep.length != h.count()) {
                throw new GenLabException(
                        file
                                + ": holds "
                                + h.count()
                                + " images but its label file has "
                                + keep.length
                                + " labels");
            }
            int kept = 0;
            if (keep == null) {
                kept = h.count();
            } else {
                for (boolean k : keep) {
                    kept += k ? 1 : 0;
                }
            }
            int size = h.itemBytes();
            if ((long) kept * size > MAX_ITEMS) {
                throw new GenLabException(
                        file + ": " + kept + " images are more than one Java array holds");
            }
            byte[] pixels = new byte[Math.multiplyExact(kept, size)];
            byte[] skip = new byte[size];
            int out = 0;
            for (int i = 0; i < h.count(); i++) {
                if (keep == null || keep[i]) {
                    readBody(file, in, pixels, out * size, size, h.count(), "images", i);
                    out++;
                } else {
                    readBody(file, in, skip, 0, size, h.count(), "images", i);
                }
            }
            expectEnd(file, in, h.count() + " images");
            return new IdxImages(kept, h.rows(), h.cols(), pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new GenLabException(file + " is a directory, not an IDX file");
        }
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new GenLabException(file + ": file not found", e);
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static IdxHeader readHeader(Path file, DataInputStream in, int expectedRank)
            throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new GenLabException(file + ": truncated: too short for an IDX header", e);
        }
        int expected = expectedRank == 1 ? LABELS_MAGIC : IMAGES_MAGIC;
        if ((magic >>> 8) != 0x000008) {
            throw new GenLabException(
                    String.format(
                            "%s: not an unsigned-byte IDX file: magic number 0x%08x, expected 0x%08x",
                            file, magic, expected));
        }
        int rank = magic & 0xFF;
        if (rank != expectedRank) {
            throw new GenLabException(
                    String.format(
                            "%s: IDX rank %d (magic 0x%08x), expected rank %d (%s file, magic 0x%08x)",
                            file,
                            rank,
                            magic,
                            expectedRank,
                            expectedRank == 1 ? "label" : "image",
                            expected));
        }
        long[] dims = new long[rank];
        for (int d = 0; d < rank; d++) {
            try {
                dims[d] = in.readInt() & 0xFFFFFFFFL; // dimensions are unsigned
            } catch (EOFException e) {
                throw new GenLabException(file + ": truncated inside the IDX header", e);
            }
        }
        long count = dims[0];
        if (count == 0) {
            throw new GenLabException(
                    file + ": the IDX header claims 0 items: the file is empty or not an IDX file");
        }
        long rows = 1;
        long cols = 1;
        if (rank == 3) {
            rows = dims[1];
            cols = dims[2];
            if (rows < 1 || cols < 1 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new GenLabException(
                        file + ": implausible image size " + rows + "x" + cols + " in IDX header");
            }
        }
        checkLength(file, rank, count, rows, cols);
        if (count > MAX_ITEMS) {
            throw new GenLabException(
                    file
                            + ": holds "
                            + count
                            + " items, more than GenLab can load ("
                            + MAX_ITEMS
                            + ")");
        }
        return new IdxHeader(rank, (int) count, (int) rows, (int) cols);
    }

    /**
     * Compares what the header claims with what the file holds, before anything is allocated from
     * the header's numbers.
     */
    private static void checkLength(Path file, int rank, long count, long rows, long cols)
            throws IOException {
        long claimed = count * rows * cols; // < 2^32 * 2^12 * 2^12: no overflow
        long headerBytes = 4L + 4L * rank;
        boolean gz = isGzip(file);
        long held = Math.max(0, (gz ? gzipLength(file) : Files.size(file)) - headerBytes);
        if (claimed == held) {
            return;
        }
        String items = rank == 1 ? "labels of 1 byte" : "images of " + rows + "x" + cols + " bytes";
        String where = gz ? " (uncompressed, by its gzip trailer)" : "";
        throw new GenLabException(
                file
                        + " claims "
                        + count
                        + " "
                        + items
                        + " = "
                        + claimed
                        + " bytes but holds "
                        + (claimed > held ? "only " : "")
                        + held
                        + " bytes"
                        + where
                        + (claimed > held
                                ? ": the file is truncated or not an IDX file"
                                : ": it has extra bytes after its last item, or is not an IDX file"));
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Returns the uncompressed length a gzip file's trailer records (RFC 1952's ISIZE, mod 2^32).
     */
    private static long gzipLength(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.position(Math.max(0, ch.size() - 4));
            while (tail.hasRemaining() && ch.read(tail) > 0) {
                // the last 4 bytes
            }
            return tail.getInt(0) & 0xFFFFFFFFL;
        }
    }

    private static void readBody(
            Path file,
            DataInputStream in,
            byte[] dest,
            int off,
            int len,
            int count,
            String what,
            int index)
            throws IOException {
        int n = in.readNBytes(dest, off, len);
        if (n < len) {
            throw new GenLabException(
                    file
                            + ": truncated: the header promises "
                            + count
                            + " "
                            + what
                            + " but the file ends inside item "
                            + index);
        }
    }

    private static void expectEnd(Path file, DataInputStream in, String what) throws IOException {
        if (in.read() != -1) {
            throw new GenLabException(
                    file + ": has extra bytes after the " + what + " its header announces");
        }
    }

    private static GenLabException unreadable(Path file, IOException e) {
        return new GenLabException(
                file + ": cannot be read (corrupt or truncated?): " + e.getMessage(), e);
    }
}
