package org.genlab.datasets.cifar;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.genlab.core.GenLabException;

/**
 * Reads and validates CIFAR-10 binary batches.
 *
 * <p>A batch must be exactly {@value #RECORDS_PER_BATCH} records of {@value #RECORD_BYTES} bytes
 * with labels 0..9; anything else — a short file, a file whose size is not a whole number of
 * records, an out-of-range label, the wrong number of batches, a directory in a batch's place — is
 * a {@link GenLabException} naming the file. The size is checked before anything is allocated.
 */
public final class CifarBinaryReader {

    /** Bytes per record: one label byte and 3 x 32 x 32 pixel bytes. */
    public static final int RECORD_BYTES = 3073;

    /** Bytes of one image inside a record. */
    public static final int IMAGE_BYTES = 3072;

    /** Records in each of the six official batches. */
    public static final int RECORDS_PER_BATCH = 10_000;

    /** Bytes of one batch file. */
    public static final long BATCH_BYTES = (long) RECORD_BYTES * RECORDS_PER_BATCH;

    /** Number of classes; labels lie in 0..9. */
    public static final int NUM_CLASSES = 10;

    private CifarBinaryReader() {}

    /**
     * Checks that a split has the right number of batch files (5 for training, 1 for testing).
     *
     * @param batches the batch files of the split
     * @param expected how many there must be
     * @param split the split's name, for the message
     */
    public static void checkBatchCount(List<Path> batches, int expected, String split) {
        if (batches.size() != expected) {
            throw new GenLabException(
                    "CIFAR-10 "
                            + split
                            + " split needs "
                            + expected
                            + " batch files but got "
                            + batches.size()
                            + ": "
                            + batches);
        }
    }

    /**
     * Reads the labels of a batch, checking its size and every label.
     *
     * @param file the batch file
     * @return 10,000 labels
     */
    public static byte[] readLabels(Path file) {
        checkSize(file);
        byte[] labels = new byte[RECORDS_PER_BATCH];
        byte[] record = new byte[RECORD_BYTES];
        try (InputStream in = open(file)) {
            for (int i = 0; i < RECORDS_PER_BATCH; i++) {
                readRecord(file, in, record, i);
                labels[i] = checkLabel(file, record[0], i);
            }
            expectEnd(file, in);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return labels;
    }

    /**
     * Reads the images of a batch into {@code dest}, keeping only the records {@code keep} marks.
     *
     * @param file the batch file
     * @param keep which records to keep ({@code null} keeps all 10,000)
     * @param dest where the kept images go, {@value #IMAGE_BYTES} bytes each (R, G, B planes)
     * @param destOffset the byte offset of the first kept image in {@code dest}
     * @return how many images were copied
     */
    public static int readImages(Path file, boolean[] keep, byte[] dest, int destOffset) {
        checkSize(file);
        byte[] record = new byte[RECORD_BYTES];
        int out = 0;
        try (InputStream in = open(file)) {
            for (int i = 0; i < RECORDS_PER_BATCH; i++) {
                readRecord(file, in, record, i);
                checkLabel(file, record[0], i);
                if (keep == null || keep[i]) {
                    System.arraycopy(record, 1, dest, destOffset + out * IMAGE_BYTES, IMAGE_BYTES);
                    out++;
                }
            }
            expectEnd(file, in);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return out;
    }

    /**
     * Validates a whole batch held in memory (used on converted or downloaded batches).
     *
     * @param name the file name for messages
     * @param batch the batch's bytes
     */
    public static void validate(String name, byte[] batch) {
        if (batch.length != BATCH_BYTES) {
            throw new GenLabException(
                    name
                            + ": "
                            + batch.length
                            + " bytes; a CIFAR-10 batch has "
                            + RECORDS_PER_BATCH
                            + " records of "
                            + RECORD_BYTES
                            + " bytes = "
                            + BATCH_BYTES);
        }
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            int v = batch[i * RECORD_BYTES] & 0xFF;
            if (v >= NUM_CLASSES) {
                throw new GenLabException(
                        name + ": label " + v + " of record " + i + " is out of range 0..9");
            }
        }
    }

    private static void checkSize(Path file) {
        if (Files.isDirectory(file)) {
            throw new GenLabException(file + " is a directory, not a CIFAR-10 batch");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new GenLabException(file + ": file not found", e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (size == BATCH_BYTES) {
            return;
        }
        String why;
        if (size < BATCH_BYTES) {
            why = "truncated";
        } else {
            why = "too long";
        }
        throw new GenLabException(
                file
                        + ": "
                        + why
                        + ": "
                        + size
                        + " bytes ("
                        + (size / RECORD_BYTES)
                        + " whole records"
                        + (size % RECORD_BYTES == 0
                                ? ""
                                : " and " + (size % RECORD_BYTES) + " stray bytes")
                        + "); a CIFAR-10 batch has "
                        + RECORDS_PER_BATCH
                        + " records of "
                        + RECORD_BYTES
                        + " bytes = "
                        + BATCH_BYTES);
    }

    private static byte checkLabel(Path file, byte label, int index) {
        int v = label & 0xFF;
        if (v >= NUM_CLASSES) {
            throw new GenLabException(
                    file + ": label " + v + " of record " + index + " is out of range 0..9");
        }
        return label;
    }

    private static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), 1 << 17);
    }

    private static void readRecord(Path file, InputStream in, byte[] record, int index)
            throws IOException {
        if (in.readNBytes(record, 0, RECORD_BYTES) < RECORD_BYTES) {
            throw new GenLabException(file + ": truncated inside record " + index);
        }
    }

    private static void expectEnd(Path file, InputStream in) throws IOException {
        if (in.read() != -1) {
            throw new GenLabException(file + ": has bytes after its last record");
        }
    }

    private static GenLabException unreadable(Path file, IOException e) {
        return new GenLabException(file + ": cannot be read: " + e.getMessage(), e);
    }
}
