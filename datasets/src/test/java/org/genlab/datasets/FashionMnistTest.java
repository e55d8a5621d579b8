package org.genlab.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.source.DebianFashionSource;
import org.genlab.datasets.source.ExternalTools;
import org.junit.jupiter.api.Test;

/** Real Fashion-MNIST through Debian's {@code dataset-fashion-mnist} when apt-get works. */
class FashionMnistTest {

    @Test
    void countsPerClass() {
        Path dir = GenLabHome.dataDir();
        boolean present = DatasetRegistry.status(DatasetSpec.FASHION_MNIST, dir).present();
        assumeTrue(
                present
                        || Files.isDirectory(DebianFashionSource.INSTALLED)
                        || ExternalTools.which("apt-get").isPresent(),
                "no Fashion-MNIST and no apt-get");
        long t0 = System.nanoTime();
        DatasetRegistry.fetch("fashion-mnist", dir, System.out);
        System.out.printf(
                "Fashion-MNIST fetch/verify took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        DatasetRegistry.verify("fashion-mnist", dir);

        ImageDataset train =
                ImageDataset.builder().setName("fashion-mnist").optDataDir(dir).build();
        ImageDataset test =
                ImageDataset.builder()
                        .setName("fashion-mnist")
                        .optSplit(Split.TEST)
                        .optDataDir(dir)
                        .build();
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.classCounts()).containsOnly(6000);
        assertThat(test.classCounts()).containsOnly(1000);
        assertThat(train.classNames().get(9)).isEqualTo("Ankle boot");
        assertThat(train.label(0)).isEqualTo(9); // the first training image is an ankle boot
    }
}
