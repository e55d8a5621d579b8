package org.genlab.datasets.source;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetFormat;
import org.genlab.datasets.DatasetSpec;

/**
 * Files the user already has, in any of the official forms: the {@code .gz} or raw IDX files of
 * MNIST / Fashion-MNIST (in the given folder or up to three levels below it), {@code
 * cifar-10-binary.tar.gz}, or an extracted {@code cifar-10-batches-bin} folder. {@code from} may be
 * the folder or the archive itself.
 */
public final class ImportSource implements DataSource {

    private static final int DEPTH = 3;

    private final Path from;

    /**
     * Creates the source.
     *
     * @param from a folder holding the files, or a single archive
     */
    public ImportSource(Path from) {
        this.from = from;
    }

    @Override
    public String describe() {
        return "import from " + from;
    }

    @Override
    public boolean supports(DatasetSpec spec) {
        return true;
    }

    @Override
    public String unavailableReason() {
        return Files.exists(from) ? null : from + " does not exist";
    }

    @Override
    public void fetch(DatasetSpec spec, Path staging, PrintStream log) throws IOException {
        if (spec.format() == DatasetFormat.CIFAR_BINARY) {
            if (Files.isRegularFile(from)) {
                ArchiveLayouts.extractCifarBatches(from, staging);
                return;
            }
            boolean haveBins = spec.files().stream().allMatch(f -> find(f.name()).isPresent());
            if (!haveBins) {
                Optional<Path> tgz = find("cifar-10-binary.tar.gz");
                if (tgz.isEmpty()) {
                    throw new IOException(
                            "found neither the six .bin batches nor cifar-10-binary.tar.gz in "
                                    + from);
                }
                ArchiveLayouts.extractCifarBatches(tgz.get(), staging);
                return;
            }
        }
        for (DataFile f : spec.files()) {
            Optional<Path> p = find(f.name());
            if (p.isEmpty()) {
                p = find(f.name() + ".gz");
            }
            if (p.isEmpty()) {
                throw new IOException("no " + f.name() + " (or .gz) in " + from);
            }
            FileTools.gunzipOrCopy(p.get(), staging.resolve(f.name()));
        }
    }

    private Optional<Path> find(String name) {
        if (Files.isRegularFile(from)) {
            return from.getFileName().toString().equals(name)
                    ? Optional.of(from)
                    : Optional.empty();
        }
        try (Stream<Path> s = Files.walk(from, DEPTH)) {
            return s.filter(p -> p.getFileName().toString().equals(name))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
