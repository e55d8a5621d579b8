package org.genlab.diffusion.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class GroupNormTest {

    @Test
    void matchesHandComputationAndHasFiniteGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm gn = new GroupNorm(2);
            // 1 sample, 4 channels, 1x2 pixels: groups {c0,c1} and {c2,c3}
            float[] v = {1, 2, 3, 4, 10, 10, 10, 14};
            NDArray x = m.create(v, new Shape(1, 4, 1, 2));
            gn.initialize(m, DataType.FLOAT32, x.getShape());
            ParameterStore ps = new ParameterStore(m, false);
            float[] y = gn.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            for (int g = 0; g < 2; g++) {
                double mean = 0;
                for (int i = 0; i < 4; i++) {
                    mean += v[4 * g + i] / 4.0;
                }
                double var = 0;
                for (int i = 0; i < 4; i++) {
                    var += (v[4 * g + i] - mean) * (v[4 * g + i] - mean) / 4.0;
                }
                for (int i = 0; i < 4; i++) {
                    double expected = (v[4 * g + i] - mean) / Math.sqrt(var + 1e-5);
                    assertThat((double) y[4 * g + i]).isCloseTo(expected, within(1e-4));
                }
            }
            NDArray w = m.randomNormal(new Shape(2, 8, 5, 5));
            GroupNorm gn2 = new GroupNorm(4);
            gn2.initialize(m, DataType.FLOAT32, w.getShape());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = gn2.forward(ps, new NDList(w), true).singletonOrThrow();
                gc.backward(out.mul(m.randomNormal(out.getShape())).sum());
            }
            float[] grad = gn2.getParameters().get("gamma").getArray().getGradient().toFloatArray();
            for (float g : grad) {
                assertThat(Float.isFinite(g)).isTrue();
            }
        }
    }
}
