package org.genlab.diffusion.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

/**
 * How the diffusion trainer reads MNIST: the whole set in one device tensor ({@link SampleSet#of}),
 * batches gathered there by {@link BatchSource#shuffled}.
 */
class InMemoryBatchesTest {

    /**
     * MNIST-sized: 60,000 × 784 = 47 M values, past float32's exact integers (2^24); and an epoch
     * visits every item at most once.
     */
    @Test
    void batchesAreExactRowsOfALargeDataSet() {
        Seeds.seed(3);
        int n = 60_000;
        int d = 784;
        try (NDManager m = NDManager.newBaseManager()) {
            // item i holds i in its first pixel and j in pixel j
            NDArray pixels = m.arange(0, d, 1, DataType.FLOAT32).reshape(1, d).repeat(0, n);
            NDArray ids = m.arange(0, n, 1, DataType.FLOAT32).reshape(n, 1);
            NDArray data =
                    pixels.concat(ids, 1).get(":, " + d + ":").concat(pixels.get(":, 1:"), 1);
            data = data.reshape(n, 1, 28, 28);
            NDArray labels = m.arange(0, n, 1, DataType.INT64);
            BatchSource source = BatchSource.shuffled(SampleSet.of(data, labels), 256, 3);
            Set<Long> seen = new HashSet<>();
            int checkedHigh = 0;
            for (int step = 0; step < 20; step++) {
                try (NDManager sub = m.newSubManager()) {
                    Batch b = source.next(sub, step);
                    assertThat(b.samples().getShape()).isEqualTo(new Shape(256, 1, 28, 28));
                    float[] x = b.samples().toFloatArray();
                    long[] y = b.labels().toLongArray();
                    for (int r = 0; r < 256; r++) {
                        assertThat(x[r * d]).as("item id of row %d", r).isEqualTo((float) y[r]);
                        for (int j = 1; j < d; j++) {
                            if (x[r * d + j] != j) {
                                throw new AssertionError(
                                        "row "
                                                + r
                                                + " (item "
                                                + y[r]
                                                + ") pixel "
                                                + j
                                                + " holds "
                                                + x[r * d + j]);
                            }
                        }
                        assertThat(seen.add(y[r])).as("item %d twice in epoch 0", y[r]).isTrue();
                        if (y[r] * d > (1 << 25)) {
                            checkedHigh++;
                        }
                    }
                }
            }
            assertThat(checkedHigh).as("rows past 2^25 flat positions").isGreaterThan(1000);
        }
    }
}
