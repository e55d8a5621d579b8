package org.genlab.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void anEpochVisitsEveryExampleOnceAndEpochsDiffer() {
        Batches b = new Batches(100, 10, 7);
        assertThat(b.stepsPerEpoch()).isEqualTo(10);
        Set<Integer> seen = new HashSet<>();
        for (int s = 0; s < 10; s++) {
            for (int i : b.indices(s)) {
                seen.add(i);
            }
        }
        assertThat(seen).hasSize(100);
        assertThat(b.indices(10)).isNotEqualTo(b.indices(0));
        assertThat(b.epochOf(25)).isEqualTo(2);
    }

    @Test
    void batchesDependOnlyOnSeedAndStep() {
        int[] late = new Batches(1000, 32, 3).indices(77);
        Batches fresh = new Batches(1000, 32, 3);
        assertThat(fresh.indices(77)).containsExactly(late);
        assertThat(Arrays.equals(new Batches(1000, 32, 4).indices(77), late)).isFalse();
    }

    @Test
    void aBatchLargerThanTheDataIsAClearError() {
        assertThatThrownBy(() -> new Batches(10, 64, 1))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("--batch between 1 and 10");
    }
}
