package org.genlab.datasets.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Small file helpers the sources share: gunzip-or-copy, recursive delete. */
public final class FileTools {

    private FileTools() {}

    /**
     * Tells whether a file starts with the gzip magic bytes {@code 1f 8b}.
     *
     * @param file the file
     * @return true if gzipped
     * @throws IOException if it cannot be read
     */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Copies {@code src} to {@code dest}, gunzipping it on the way if it is gzipped.
     *
     * @param src a raw or gzipped file
     * @param dest the raw copy to write
     * @throws IOException if reading or writing fails; a truncated or corrupt gzip stream is one
     *     naming {@code src}
     */
    public static void gunzipOrCopy(Path src, Path dest) throws IOException {
        if (isGzip(src)) {
            try (InputStream in =
                    new GZIPInputStream(
                            new BufferedInputStream(Files.newInputStream(src), 1 << 16), 1 << 16)) {
                Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
            } catch (EOFException | ZipException e) {
                throw new IOException(
                        src + ": truncated or corrupt gzip file (" + e.getMessage() + ")", e);
            }
        } else {
            Files.copy(src, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a folder and everything in it; does nothing if it does not exist. Never follows
     * symbolic links out of the folder.
     *
     * @param dir the folder
     */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.delete(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e)
                                throws IOException {
                            Files.delete(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException ignored) {
            // a leftover staging folder is harmless and hidden; the next fetch makes a new one
        }
    }
}
