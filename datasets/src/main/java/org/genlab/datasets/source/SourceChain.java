package org.genlab.datasets.source;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetSpec;

/**
 * Tries sources in order until one delivers files with the official checksums, and installs them
 * into the cache atomically.
 *
 * <p>First the cache itself is checked: files already there with the right MD5 are kept and never
 * touched again. For the rest, each source in turn writes into a fresh staging folder inside the
 * data folder; only when <em>every</em> needed file from that source matches its MD5 are the files
 * moved into the cache, each with one atomic rename. A mismatch or a failure is noted in one line
 * (which file, which source, expected and actual MD5) and the next source is tried.
 *
 * <p>Cached files found valid are stamped (see {@link CacheCheck}); freshly installed files are
 * stamped by their first load, once they are old enough for their modification time to be trusted.
 */
public final class SourceChain {

    private final List<DataSource> sources;

    /**
     * Creates a chain.
     *
     * @param sources the sources, in the order to try them
     */
    public SourceChain(List<DataSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The default chain: official hosts and mirrors, then npm, then Debian.
     *
     * @return the chain GenLab uses for {@code fetch}
     */
    public static SourceChain defaults() {
        return new SourceChain(
                List.of(new HttpSource(), new NpmSource(), new DebianFashionSource()));
    }

    /**
     * Lists the files of a data set that are missing from a folder or fail their checksum.
     *
     * @param spec the data set
     * @param folder its cache folder
     * @param log where to note files with a wrong checksum (may be {@code null})
     * @return the files still needed
     */
    public static List<DataFile> missingOrBad(DatasetSpec spec, Path folder, PrintStream log) {
        List<DataFile> needed = new ArrayList<>();
        CacheCheck stamp = new CacheCheck(folder);
        for (DataFile f : spec.files()) {
            Path p = folder.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                needed.add(f);
            } else {
                String md5 = stamp.hash(f, p);
                if (!md5.equals(f.md5())) {
                    if (log != null) {
                        log.println(
                                "  cached "
                                        + p
                                        + " has checksum "
                                        + md5
                                        + ", expected "
                                        + f.md5()
                                        + ": it will be replaced");
                    }
                    needed.add(f);
                }
            }
        }
        stamp.save();
        return needed;
    }

    /**
     * Makes sure a data set's folder holds every file with its official checksum.
     *
     * @param spec the data set
     * @param dataDir the data folder; the data set lives in {@code dataDir/<name>}
     * @param log where to write one-line notes
     * @param replaceAll if true, every file is taken from the sources even if the cache holds a
     *     valid copy (used by import); if false, valid cached files are kept and no source is tried
     *     when nothing is missing
     * @return the data set's folder
     * @throws GenLabException if no source delivered valid files; the message lists what each
     *     source did
     */
    public Path fetch(DatasetSpec spec, Path dataDir, PrintStream log, boolean replaceAll) {
        Path folder = dataDir.resolve(spec.name());
        CacheCheck.requireNoDirectories(spec, folder);
        List<DataFile> needed = replaceAll ? spec.files() : missingOrBad(spec, folder, log);
        if (needed.isEmpty()) {
            log.println(spec.name() + ": present and verified in " + folder);
            return folder;
        }
        List<String> notes = new ArrayList<>();
        for (DataSource source : sources) {
            if (!source.supports(spec)) {
                continue;
            }
            String why = source.unavailableReason();
            if (why != null) {
                note(log, notes, source.describe() + ": skipped (" + why + ")");
                continue;
            }
            log.println(spec.name() + ": trying " + source.describe());
            long t0 = System.nanoTime();
            Path staging = null;
            try {
                Files.createDirectories(dataDir);
                staging = Files.createTempDirectory(dataDir, ".staging-" + spec.name() + "-");
                source.fetch(spec, staging, log);
                String bad = check(needed, staging, source);
                if (bad != null) {
                    note(log, notes, bad + "; trying the next source");
                    continue;
                }
                install(needed, staging, folder);
                log.printf(
                        "%s: %d file(s) from %s verified and installed in %s (%.1f s)%n",
                        spec.name(),
                        needed.size(),
                        source.describe(),
                        folder,
                        (System.nanoTime() - t0) / 1e9);
                return folder;
            } catch (IOException | GenLabException | java.io.UncheckedIOException e) {
                note(log, notes, source.describe() + ": failed: " + oneLine(e.getMessage()));
            } finally {
                FileTools.deleteRecursively(staging);
            }
        }
        throw new GenLabException(
                "Could not obtain "
                        + spec.name()
                        + " from any source:\n  "
                        + String.join("\n  ", notes)
                        + "\nIf you have the official files, run: genlab datasets import "
                        + spec.name()
                        + " DIR");
    }

    private static String check(List<DataFile> needed, Path staging, DataSource source) {
        for (DataFile f : needed) {
            Path p = staging.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                return source.describe() + ": did not provide " + f.name();
            }
            String md5 = Checksums.md5(p);
            if (!md5.equals(f.md5())) {
                return "checksum mismatch for "
                        + f.name()
                        + " from "
                        + source.describe()
                        + ": expected "
                        + f.md5()
                        + ", got "
                        + md5;
            }
        }
        return null;
    }

    private static void install(List<DataFile> needed, Path staging, Path folder)
            throws IOException {
        Files.createDirectories(folder);
        for (DataFile f : needed) {
            Path src = staging.resolve(f.name());
            Path dst = folder.resolve(f.name());
            try {
                Files.move(
                        src,
                        dst,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void note(PrintStream log, List<String> notes, String line) {
        notes.add(line);
        log.println("  " + line);
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.replace('\n', ' ');
    }
}
