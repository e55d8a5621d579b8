package org.genlab.datasets.source;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetSpec;

/**
 * Debian's {@code dataset-fashion-mnist} package as a data channel for Fashion-MNIST. If the
 * package is installed its folder {@code /usr/share/datasets/fashion-mnist/} is used directly;
 * otherwise the {@code .deb} is fetched with {@code apt-get download} (no root, nothing installed;
 * {@code apt-get update} is tried once if the package is unknown) and unpacked with {@code dpkg-deb
 * -x}. The files are gzipped IDX; they are gunzipped into the staging folder, and their content
 * checked against the official MD5s (Debian's gzip headers differ from Zalando's).
 */
public final class DebianFashionSource implements DataSource {

    /** The Debian package name. */
    public static final String PACKAGE = "dataset-fashion-mnist";

    /** Where the package installs the files. */
    public static final Path INSTALLED = Path.of("/usr/share/datasets/fashion-mnist");

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Override
    public String describe() {
        return "Debian package " + PACKAGE;
    }

    @Override
    public boolean supports(DatasetSpec spec) {
        return spec.name().equals(DatasetSpec.FASHION_MNIST.name());
    }

    @Override
    public String unavailableReason() {
        if (Files.isDirectory(INSTALLED)) {
            return null;
        }
        if (ExternalTools.which("apt-get").isEmpty()) {
            return "apt-get is not on the PATH";
        }
        if (ExternalTools.which("dpkg-deb").isEmpty()) {
            return "dpkg-deb is not on the PATH";
        }
        return null;
    }

    @Override
    public void fetch(DatasetSpec spec, Path staging, PrintStream log) throws IOException {
        Path folder = INSTALLED;
        Path work = null;
        if (!hasAll(spec, folder)) {
            work = Files.createTempDirectory(staging, "apt");
            String aptGet = ExternalTools.which("apt-get").orElseThrow().toString();
            String dpkgDeb = ExternalTools.which("dpkg-deb").orElseThrow().toString();
            log.println("  apt-get download " + PACKAGE + " ...");
            try {
                ExternalTools.run(work, TIMEOUT, List.of(aptGet, "download", PACKAGE));
            } catch (IOException first) {
                log.println("  apt-get download failed; trying apt-get update first");
                ExternalTools.run(work, TIMEOUT, List.of(aptGet, "update"));
                ExternalTools.run(work, TIMEOUT, List.of(aptGet, "download", PACKAGE));
            }
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb =
                        s.filter(p -> p.getFileName().toString().endsWith(".deb"))
                                .findFirst()
                                .orElseThrow(() -> new IOException("apt-get wrote no .deb"));
            }
            Path x = work.resolve("x");
            ExternalTools.run(work, TIMEOUT, List.of(dpkgDeb, "-x", deb.toString(), x.toString()));
            folder = x.resolve(INSTALLED.toString().substring(1));
        }
        for (DataFile f : spec.files()) {
            Path src = pick(folder, f.name());
            if (src == null) {
                throw new IOException(PACKAGE + " has no " + f.name() + "(.gz) in " + folder);
            }
            FileTools.gunzipOrCopy(src, staging.resolve(f.name()));
        }
        FileTools.deleteRecursively(work);
    }

    private static boolean hasAll(DatasetSpec spec, Path folder) {
        return Files.isDirectory(folder)
                && spec.files().stream().allMatch(f -> pick(folder, f.name()) != null);
    }

    private static Path pick(Path folder, String name) {
        for (String n : List.of(name + ".gz", name)) {
            Path p = folder.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
