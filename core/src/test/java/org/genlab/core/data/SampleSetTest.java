package org.genlab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;

class SampleSetTest {

    @Test
    void rowsOfLabelsAreTakenWholeAndVectorsStayVectors() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0f, 12f).reshape(4, 3);
            NDArray ids = m.create(new long[] {1, 2, 10, 20, 100, 200, 7, 8}).reshape(4, 2);
            SampleSet rows = SampleSet.of(x, ids);
            NDArray got = rows.labels(m, new int[] {2, 0});
            assertThat(got.getShape().getShape()).containsExactly(2, 2);
            assertThat(got.toLongArray()).containsExactly(100, 200, 1, 2);
            assertThat(rows.samples(m, new int[] {3}).toFloatArray()).containsExactly(9f, 10f, 11f);

            SampleSet classes = SampleSet.of(x, m.create(new long[] {5, 6, 7, 8}));
            NDArray y = classes.labels(m, new int[] {3, 1});
            assertThat(y.getShape().getShape()).containsExactly(2);
            assertThat(y.toLongArray()).containsExactly(8, 6);
        }
    }

    @Test
    void aLabelRowCountThatDiffersFromTheSamplesIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(4, 3));
            NDArray ids = m.zeros(new ai.djl.ndarray.types.Shape(3, 2));
            assertThatThrownBy(() -> SampleSet.of(x, ids))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("4 samples but 3 labels");
        }
    }
}
