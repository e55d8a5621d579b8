package org.genlab.core.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.genlab.core.GenLabException;

/**
 * Writes files so that a reader sees either the old content or the new, never a mix: the bytes go
 * to a temporary file in the same folder, are flushed to the disk, and the file is renamed over the
 * target in one step.
 *
 * <p>The temporary file is {@code .NAME<digits>.tmp} next to the target. It is created like any
 * ordinary file, so it gets the user's umask (usually {@code rw-r--r--}) and a run folder can be
 * shared; {@code Files.createTempFile} would make every GenLab file private ({@code rw-------}). A
 * process killed mid-write leaves its temporary file behind: {@link #cleanStale} removes those.
 *
 * <p>A failure is a {@link GenLabException} in one line that names the file, its folder, the cause
 * in plain words (disk full, permission denied, read-only file system, a folder in the way) and
 * what to do. The previous target is then untouched and the temporary file is gone.
 */
public final class AtomicFiles {

    /** What {@link #cleanStale(Path)} treats as abandoned: no writer pauses this long. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    // ".NAME" + digits + ".tmp": ours, and also what Files.createTempFile made in older versions
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+[0-9]+\\.tmp");

    private AtomicFiles() {}

    /** Writes bytes to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out the stream to write to (do not close it)
         * @throws IOException if writing fails
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes a file atomically.
     *
     * @param target the file to create or replace
     * @param writer what to write
     * @throws GenLabException if the file cannot be written; the old one is then unchanged
     */
    public static void write(Path target, Writer writer) {
        moveInto(writeTemp(target, writer), target);
    }

    /**
     * Writes a text file atomically.
     *
     * @param target the file
     * @param text its content (UTF-8)
     * @throws GenLabException if the file cannot be written; the old one is then unchanged
     */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Deletes the temporary files that killed writers left in a folder and its subfolders, those
     * not modified for {@link #STALE_AFTER}. Call it when a run is opened for training; a younger
     * file may belong to a writer that is still running (another GenLab command writing into the
     * same folder) and is kept, as is a second link to a file (see {@link #cleanStale(Path,
     * Duration)}).
     *
     * @param dir a run folder
     * @return how many files were deleted
     */
    public static int cleanStale(Path dir) {
        return cleanStale(dir, STALE_AFTER);
    }

    /**
     * Deletes the temporary files that killed writers left in a folder and its subfolders. Only
     * names of the form {@code .NAME<digits>.tmp}, which this class creates, are touched.
     *
     * @param dir a run folder (nothing happens if it does not exist)
     * @param minAge only files not modified for this long, and not a second link to another file,
     *     are deleted; with {@link Duration#ZERO}, for a caller that knows no other process writes
     *     there, every one is
     * @return how many files were deleted
     */
    public static int cleanStale(Path dir, Duration minAge) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(minAge);
        int[] removed = {0};
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                            if (abandoned(f, a, cutoff, minAge.isZero())) {
                                try {
                                    if (Files.deleteIfExists(f)) {
                                        removed[0]++;
                                    }
                                } catch (IOException ignored) {
                                    // left for next time; a stale temporary file harms nothing
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException ignored) {
            // the visitor swallows per-file errors; nothing else can fail here
        }
        return removed[0];
    }

    private static boolean abandoned(Path f, BasicFileAttributes a, Instant cutoff, boolean alone) {
        if (!a.isRegularFile()
                || !TEMP_NAME.matcher(f.getFileName().toString()).matches()
                || a.lastModifiedTime().toInstant().isAfter(cutoff)) {
            return false;
        }
        if (alone) {
            return true;
        }
        // a second link to a file is a save keeping checkpoint.prev.zip right now (a hard link has
        // the old file's time): leave it; once that save is over it is the last link, and goes
        try {
            return ((Number) Files.getAttribute(f, "unix:nlink")).intValue() <= 1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * Writes the content to a new temporary file next to the target and flushes it to the disk.
     *
     * @return the temporary file, for {@link #moveInto}
     */
    static Path writeTemp(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        refuseFolder(target);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = claimTempName(target, Files::createFile);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out =
                            new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            Path done = tmp;
            tmp = null;
            return done;
        } catch (IOException | UncheckedIOException e) {
            throw failure(target, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Renames a finished temporary file over the target; deletes it if that fails. */
    static void moveInto(Path tmp, Path target) {
        try {
            refuseFolder(target);
            try {
                Files.move(
                        tmp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Makes {@code copy} an atomic duplicate of {@code source}: a hard link where the file system
     * has them (instant, no extra space until the source is replaced), a flushed copy elsewhere.
     */
    static void duplicate(Path source, Path copy) {
        refuseFolder(copy);
        Path tmp = null;
        try {
            try {
                tmp = claimTempName(copy, t -> Files.createLink(t, source));
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof AccessDeniedException) {
                    throw (AccessDeniedException) e;
                }
                // no hard links here (FAT, some network shares): copy and flush instead
                tmp = claimTempName(copy, t -> Files.copy(source, t));
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure(copy, e);
        }
        moveInto(tmp, copy);
    }

    /** Creates something at a fresh {@code .NAME<digits>.tmp} path next to the target. */
    private static Path claimTempName(Path target, Create create) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        for (int i = 0; ; i++) {
            String digits = Long.toUnsignedString(ThreadLocalRandom.current().nextLong());
            Path tmp = dir.resolve("." + target.getFileName() + digits + ".tmp");
            try {
                create.at(tmp);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (i == 100) {
                    throw e;
                }
            }
        }
    }

    private interface Create {
        void at(Path p) throws IOException;
    }

    private static void refuseFolder(Path target) {
        if (Files.isDirectory(target)) {
            throw new GenLabException(
                    "Cannot write "
                            + target.getFileName()
                            + " in "
                            + target.toAbsolutePath().getParent()
                            + ": "
                            + target
                            + " is a folder, not a file: move or rename that folder, or choose"
                            + " another --run folder.");
        }
    }

    /**
     * Turns a write failure into one line: what, where, why in plain words, and what to do. The
     * cause is looked for along the whole chain, since image writers wrap the I/O error.
     */
    static GenLabException failure(Path target, Exception e) {
        String why = null;
        for (Throwable t = e; t != null && why == null; t = t.getCause()) {
            why = plainCause(t);
        }
        if (why == null) {
            why =
                    e.getMessage()
                            + ": check the folder and try again, or choose another --run folder";
        }
        return new GenLabException(
                "Cannot write "
                        + target.getFileName()
                        + " in "
                        + target.toAbsolutePath().getParent()
                        + ": "
                        + why
                        + ". The previous "
                        + target.getFileName()
                        + ", if any, is unchanged.",
                e);
    }

    private static String plainCause(Throwable t) {
        String m = String.valueOf(t.getMessage());
        if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
            return "the disk is full: free space or choose another --run folder";
        }
        if (m.contains("Read-only file system")) {
            return "the file system is read-only: choose another --run folder";
        }
        if (t instanceof AccessDeniedException || m.contains("Permission denied")) {
            return "permission denied: choose a folder you can write or fix its permissions";
        }
        if (t instanceof NotDirectoryException
                || t instanceof FileAlreadyExistsException
                || m.contains("Not a directory")) {
            return "a file stands where a folder should be ("
                    + m
                    + "): move it away or choose another --run folder";
        }
        if (m.contains("Is a directory")) {
            return "a folder stands where the file should be: move or rename it";
        }
        return null;
    }

    static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // cleanStale removes it later; the target is untouched
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can sync a directory; the rename itself is still atomic
        }
    }
}
