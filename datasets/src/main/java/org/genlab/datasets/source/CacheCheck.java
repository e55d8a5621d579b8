package org.genlab.datasets.source;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetSpec;

/**
 * Checks a data set's cached files against their official MD5s, and remembers in a small stamp file
 * what it checked, so that loading a data set for training re-reads only files that changed.
 *
 * <p>The stamp is {@value #STAMP} in the data set's folder, a properties file with one line per
 * verified file: {@code name=size lastModifiedMillis md5}. {@link #verify} always re-hashes (that
 * is {@code genlab datasets verify}); {@link #verifyFast} takes a file as verified without reading
 * it when its size and modification time equal the stamp's and the stamp holds the MD5 the {@link
 * DatasetSpec} expects, and re-hashes it otherwise. Every write through the file system moves the
 * modification time, so an edit in place that keeps the length — a flipped label byte — is caught.
 * A change that keeps both size and time (a file swapped in with {@code cp -p} or {@code touch -r})
 * is not caught by the fast path; {@code verify} catches it.
 *
 * <p>File-system clocks tick coarsely (a few milliseconds on Linux, up to 2 s on FAT), so a file
 * written within the same tick after it was hashed would keep its time — the "racy git" problem. A
 * file is therefore stamped only if it was at least {@value #RACY_MILLIS} ms old when it was
 * hashed; a freshly downloaded file is hashed once more on its first load. The stamp is a cache,
 * not a seal: when it is missing, unreadable or cannot be written, files are simply re-hashed.
 */
public final class CacheCheck {

    /** The stamp file's name inside a data set's folder. */
    public static final String STAMP = ".verified";

    /** How old a file must be when hashed for its stamp to be trusted later. */
    static final long RACY_MILLIS = 2_000;

    /** How many files have been hashed, for tests of the fast path. */
    static final AtomicInteger HASHED = new AtomicInteger();

    private final Path folder;
    private final Map<String, String> stamp;
    private final Map<String, String> changes = new TreeMap<>();

    CacheCheck(Path folder) {
        this.folder = folder;
        this.stamp = read(folder);
    }

    /**
     * Re-hashes every file of a data set, refreshing the stamp of each file that matches.
     *
     * @param spec the data set
     * @param folder its cache folder
     * @throws GenLabException naming the first file that is missing, has the wrong size or the
     *     wrong checksum, and what to do
     */
    public static void verify(DatasetSpec spec, Path folder) {
        check(spec, folder, spec.files(), true);
    }

    /**
     * Checks files before they are read, re-hashing only those the stamp does not vouch for.
     *
     * @param spec the data set
     * @param folder its cache folder
     * @param files the files to check, e.g. {@code spec.files(split)}
     * @throws GenLabException with the same message as {@link #verify} for a bad file
     */
    public static void verifyFast(DatasetSpec spec, Path folder, List<DataFile> files) {
        check(spec, folder, files, false);
    }

    /**
     * Refuses a directory where a data file belongs, or a file where the data set's folder belongs:
     * no source can install files there, so the user has to move it.
     *
     * @param spec the data set
     * @param folder its cache folder
     * @throws GenLabException naming the path
     */
    public static void requireNoDirectories(DatasetSpec spec, Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new GenLabException(
                    folder
                            + " is a file, but the folder of "
                            + spec.name()
                            + " belongs there: move it away, then run: genlab datasets fetch "
                            + spec.name());
        }
        for (DataFile f : spec.files()) {
            Path p = folder.resolve(f.name());
            if (Files.isDirectory(p)) {
                throw new GenLabException(
                        p
                                + " is a directory, but the data file "
                                + f.name()
                                + " belongs there: move it away, then run: genlab datasets fetch "
                                + spec.name());
            }
        }
    }

    private static void check(DatasetSpec spec, Path folder, List<DataFile> files, boolean all) {
        requireNoDirectories(spec, folder);
        CacheCheck c = new CacheCheck(folder);
        try {
            for (DataFile f : files) {
                Path p = folder.resolve(f.name());
                BasicFileAttributes a = attributes(spec, p);
                if (a.size() != f.bytes()) {
                    c.forget(f.name());
                    throw new GenLabException(
                            p
                                    + " holds "
                                    + a.size()
                                    + " bytes, expected "
                                    + f.bytes()
                                    + ": the file is truncated or not the official one; delete"
                                    + " it and run: genlab datasets fetch "
                                    + spec.name());
                }
                if (!all && c.vouchesFor(f, a)) {
                    continue;
                }
                String md5 = c.hash(f, p);
                if (!md5.equals(f.md5())) {
                    throw mismatch(spec, p, md5, f.md5());
                }
            }
        } finally {
            c.save();
        }
    }

    /**
     * The message {@code genlab datasets verify} and a training run give for a damaged file.
     *
     * @param spec the data set
     * @param file the file
     * @param actual its MD5
     * @param expected the official MD5
     * @return the error
     */
    static GenLabException mismatch(DatasetSpec spec, Path file, String actual, String expected) {
        return new GenLabException(
                file
                        + " has checksum "
                        + actual
                        + ", expected "
                        + expected
                        + ": the file is damaged or not the official one; delete it and"
                        + " run: genlab datasets fetch "
                        + spec.name());
    }

    /**
     * Hashes a file; if it matches and is old enough, stamps it, otherwise drops its stamp.
     *
     * @param f the file's description
     * @param p the file in the cache folder
     * @return its MD5
     */
    String hash(DataFile f, Path p) {
        BasicFileAttributes before = attributesOrNull(p);
        long now = System.currentTimeMillis();
        String md5 = Checksums.md5(p);
        HASHED.incrementAndGet();
        BasicFileAttributes after = attributesOrNull(p);
        if (md5.equals(f.md5())
                && before != null
                && after != null
                && sameSizeAndTime(before, after)
                && now - before.lastModifiedTime().toMillis() >= RACY_MILLIS) {
            changes.put(f.name(), line(before, md5));
        } else {
            forget(f.name());
        }
        return md5;
    }

    /** Drops a file's stamp. */
    void forget(String name) {
        if (stamp.containsKey(name) || changes.containsKey(name)) {
            changes.put(name, null);
        }
    }

    /** Writes the stamp if anything changed: merged with what is on disk now, atomically. */
    void save() {
        if (changes.isEmpty()) {
            return;
        }
        Map<String, String> onDisk = read(folder);
        Map<String, String> lines = new TreeMap<>(onDisk);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            if (e.getValue() == null) {
                lines.remove(e.getKey());
            } else {
                lines.put(e.getKey(), e.getValue());
            }
        }
        changes.clear();
        if (lines.equals(onDisk)) {
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append("# GenLab: files checked against their official MD5\n");
        text.append("# name=size lastModifiedMillis md5\n");
        for (Map.Entry<String, String> e : lines.entrySet()) {
            text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        try {
            AtomicFiles.writeString(folder.resolve(STAMP), text.toString());
        } catch (GenLabException e) {
            // a read-only cache: no stamp, so files are re-hashed on every load
        }
    }

    private boolean vouchesFor(DataFile f, BasicFileAttributes a) {
        String line = stamp.get(f.name());
        return line != null && line.equals(line(a, f.md5()));
    }

    private static String line(BasicFileAttributes a, String md5) {
        return a.size() + " " + a.lastModifiedTime().toMillis() + " " + md5;
    }

    private static boolean sameSizeAndTime(BasicFileAttributes a, BasicFileAttributes b) {
        return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime());
    }

    private static BasicFileAttributes attributes(DatasetSpec spec, Path p) {
        BasicFileAttributes a = attributesOrNull(p);
        if (a == null || !a.isRegularFile()) {
            throw new GenLabException(
                    p
                            + " is missing: "
                            + spec.name()
                            + " is not (fully) in the cache; run: genlab datasets fetch "
                            + spec.name());
        }
        return a;
    }

    private static BasicFileAttributes attributesOrNull(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> read(Path folder) {
        Map<String, String> out = new TreeMap<>();
        Path p = folder.resolve(STAMP);
        if (!Files.isRegularFile(p)) {
            return out;
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException | IllegalArgumentException e) {
            return out; // a damaged stamp vouches for nothing
        }
        for (String name : props.stringPropertyNames()) {
            out.put(name, props.getProperty(name).trim());
        }
        return out;
    }
}
