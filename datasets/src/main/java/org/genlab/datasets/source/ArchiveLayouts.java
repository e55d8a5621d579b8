package org.genlab.datasets.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetSpec;

/** Where the official archives keep their files, and how to pull them out. */
final class ArchiveLayouts {

    private ArchiveLayouts() {}

    /**
     * Extracts the six {@code .bin} batches of {@code cifar-10-binary.tar.gz} (folder {@code
     * cifar-10-batches-bin/}) flat into {@code staging}.
     */
    static void extractCifarBatches(Path tgz, Path staging) throws IOException {
        Set<String> names =
                DatasetSpec.CIFAR10.files().stream()
                        .map(DataFile::name)
                        .collect(Collectors.toSet());
        Path unpack = Files.createTempDirectory(staging, "tar");
        List<Path> files =
                TarExtractor.extract(
                        tgz, unpack, n -> names.contains(n.substring(n.lastIndexOf('/') + 1)));
        for (Path p : files) {
            Files.move(
                    p,
                    staging.resolve(p.getFileName().toString()),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        FileTools.deleteRecursively(unpack);
    }
}
