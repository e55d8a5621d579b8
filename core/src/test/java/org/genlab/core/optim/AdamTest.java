package org.genlab.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** Minimises w² from w = 0.5 and checks every step against Kingma &amp; Ba's formulas. */
    @Test
    void followsTheTextbookUpdate() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = Linear.builder().setUnits(1).optBias(false).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            NDArray w = net.getParameters().get(0).getValue().getArray();
            w.set(new NDIndex("..."), m.create(new float[] {0.5f}).reshape(w.getShape()));
            ParameterStore ps = new ParameterStore(m, false);
            float lr = 0.1f;
            float b1 = 0.9f;
            float b2 = 0.999f;
            Adam adam = Adam.builder().optLearningRate(lr).optBeta1(b1).optBeta2(b2).build();
            double wRef = 0.5;
            double mRef = 0;
            double vRef = 0;
            for (int t = 1; t <= 5; t++) {
                try (NDManager sub = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.zeroGradients();
                    NDArray x = sub.ones(new Shape(1, 1));
                    NDArray y = net.forward(ps, new NDList(x), true).singletonOrThrow();
                    gc.backward(y.square().sum()); // loss = w², gradient 2w
                }
                adam.step(net);
                double g = 2 * wRef;
                mRef = b1 * mRef + (1 - b1) * g;
                vRef = b2 * vRef + (1 - b2) * g * g;
                double mHat = mRef / (1 - Math.pow(b1, t));
                double vHat = vRef / (1 - Math.pow(b2, t));
                wRef -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                assertThat((double) w.getFloat(0, 0))
                        .as("w after step %d", t)
                        .isCloseTo(wRef, within(1e-6));
            }
            assertThat(adam.getStepCount()).isEqualTo(5);
            assertThat(adam.state()).hasSize(2);
            assertThat(adam.state().values().iterator().next().getFloat(0, 0))
                    .isCloseTo((float) mRef, within(1e-6f));
        }
    }
}
