package org.genlab.core.ema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;

class EmaTest {

    @Test
    void averagesAsComputedByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = Linear.builder().setUnits(2).optBias(false).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            NDArray w = net.getParameters().get(0).getValue().getArray();
            w.set(new NDIndex("..."), m.create(new float[] {2f, -1f}).reshape(w.getShape()));
            Ema ema = Ema.builder().setBlock(net).optDecay(0.9f).optWarmUp(false).build();

            w.set(new NDIndex("..."), m.create(new float[] {4f, 1f}).reshape(w.getShape()));
            ema.update(); // 0.9 * 2 + 0.1 * 4 = 2.2 ; 0.9 * -1 + 0.1 * 1 = -0.8
            w.set(new NDIndex("..."), m.create(new float[] {0f, 0f}).reshape(w.getShape()));
            ema.update(); // 0.9 * 2.2 = 1.98 ; 0.9 * -0.8 = -0.72
            float[] avg = ema.state().values().iterator().next().toFloatArray();
            assertThat(avg[0]).isCloseTo(1.98f, within(1e-6f));
            assertThat(avg[1]).isCloseTo(-0.72f, within(1e-6f));
            assertThat(w.toFloatArray()).containsExactly(0f, 0f);

            Linear copy = Linear.builder().setUnits(2).optBias(false).build();
            copy.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            ema.copyTo(copy);
            assertThat(copy.getParameters().get(0).getValue().getArray().toFloatArray())
                    .containsExactly(avg);
        }
    }

    @Test
    void warmUpFollowsTheNetworkEarlyOn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = Linear.builder().setUnits(1).optBias(false).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            NDArray w = net.getParameters().get(0).getValue().getArray();
            w.set(new NDIndex("..."), 2f);
            Ema ema = Ema.builder().setBlock(net).optDecay(0.9f).build();
            assertThat(ema.currentDecay()).isCloseTo(0.1f, within(1e-7f)); // min(0.9, 1/10)
            w.set(new NDIndex("..."), 4f);
            ema.update(); // 0.1 * 2 + 0.9 * 4 = 3.8
            w.set(new NDIndex("..."), 0f);
            ema.update(); // d = 2/11: 3.8 * 2/11
            float avg = ema.state().values().iterator().next().toFloatArray()[0];
            assertThat(avg).isCloseTo(3.8f * 2 / 11, within(1e-6f));
            assertThat(ema.getUpdateCount()).isEqualTo(2);
            ema.setUpdateCount(1000);
            assertThat(ema.currentDecay()).isEqualTo(0.9f); // the cap d
        }
    }

    @Test
    void rejectsADecayOutsideZeroToOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = Linear.builder().setUnits(1).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            assertThatThrownBy(() -> Ema.builder().setBlock(net).optDecay(1f).build())
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("[0, 1)");
        }
    }
}
