package org.genlab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The engine's nearest-neighbour upsampling gives the repeats' values and gradients. */
class UpsampleTest {

    @Test
    void sameValuesAndGradientsAsRepeatingPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 4, 5));
            NDArray weights = m.randomNormal(new Shape(2, 3, 8, 10));
            x.setRequiresGradient(true);
            NDArray fast;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                fast = Upsample.nearest2x(x);
                gc.backward(fast.mul(weights).sum());
            }
            float[] gradFast = x.getGradient().toFloatArray();
            NDArray y = m.randomNormal(new Shape(2, 3, 4, 5));
            y.set(new ai.djl.ndarray.index.NDIndex("..."), x.stopGradient());
            y.setRequiresGradient(true);
            NDArray slow;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                slow = y.repeat(2, 2).repeat(3, 2);
                gc.backward(slow.mul(weights).sum());
            }
            assertThat(fast.getShape()).isEqualTo(new Shape(2, 3, 8, 10));
            assertThat(fast.toFloatArray()).containsExactly(slow.toFloatArray());
            // without autograd (sampling) the values are the same
            try (NoGrad scope = NoGrad.enter()) {
                assertThat(Upsample.nearest2x(x.stopGradient()).toFloatArray())
                        .containsExactly(slow.toFloatArray());
            }
            float[] gradSlow = y.getGradient().toFloatArray();
            for (int i = 0; i < gradFast.length; i++) {
                assertThat(gradFast[i])
                        .isCloseTo(gradSlow[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }
}
