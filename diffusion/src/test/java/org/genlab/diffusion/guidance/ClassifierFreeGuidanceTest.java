package org.genlab.diffusion.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.genlab.diffusion.nn.Denoiser;
import org.junit.jupiter.api.Test;

class ClassifierFreeGuidanceTest {

    @Test
    void combinesConditionalAndUnconditionalInOneBatchedCall() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Long> batchSizes = new ArrayList<>();
            // a fake model: ε = label (10 = null class → 0) + x
            Denoiser fake =
                    (xt, t, labels) -> {
                        batchSizes.add(xt.getShape().get(0));
                        NDArray l = labels.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                        l = l.mul(l.lt(10f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
                        return xt.add(l.reshape(-1, 1));
                    };
            ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(fake, 10, 3f);
            NDArray x = m.create(new float[] {0.5f, -1f}, new Shape(2, 1));
            NDArray out = cfg.predict(x, m.create(new float[] {5, 5}), m.create(new long[] {2, 7}));
            // ε_u = x, ε_c = x + y  ⇒  ε_u + 3 (ε_c − ε_u) = x + 3y
            float[] f = out.toFloatArray();
            assertThat(f[0]).isCloseTo(0.5f + 6f, within(1e-6f));
            assertThat(f[1]).isCloseTo(-1f + 21f, within(1e-6f));
            assertThat(batchSizes).containsExactly(4L);
            NDArray c = m.create(new float[] {2f});
            NDArray u = m.create(new float[] {1f});
            assertThat(ClassifierFreeGuidance.combine(c, u, 1f).getFloat()).isEqualTo(2f);
            assertThat(ClassifierFreeGuidance.combine(c, u, 0f).getFloat()).isEqualTo(1f);
            assertThat(ClassifierFreeGuidance.combine(c, u, 2.5f).getFloat()).isEqualTo(3.5f);
        }
    }
}
