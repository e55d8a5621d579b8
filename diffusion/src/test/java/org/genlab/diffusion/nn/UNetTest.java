package org.genlab.diffusion.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.nn.Params;
import org.junit.jupiter.api.Test;

class UNetTest {

    @Test
    void outputShapeEqualsInputShapeForMnistAndCifar() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet mnist = UNet.cpu(1, 10).build();
            mnist.initialize(m, 28, 28);
            NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
            NDArray out =
                    Denoiser.of(mnist, Prediction.EPSILON)
                            .predict(
                                    x,
                                    m.create(new float[] {0, 10, 999}),
                                    m.create(new long[] {1, 2, 10}));
            assertThat(out.getShape()).isEqualTo(x.getShape());
            assertThat(Params.count(mnist)).isBetween(300_000L, 3_000_000L);

            UNet cifar =
                    UNet.builder()
                            .setChannels(3)
                            .optBaseChannels(16)
                            .optChannelMultipliers(1, 2, 2)
                            .optGroups(4)
                            .build();
            cifar.initialize(m, 32, 32);
            NDArray y = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray out2 =
                    Denoiser.of(cifar, Prediction.EPSILON)
                            .predict(y, m.create(new float[] {5, 500}), null);
            assertThat(out2.getShape()).isEqualTo(y.getShape());
        }
    }

    @Test
    void nearestNeighbourRepeatDoublesEachPixel() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
            float[] up = x.repeat(2, 2).repeat(3, 2).toFloatArray();
            assertThat(up).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
        }
    }

    @Test
    void residualBlockInitialisesItself() {
        try (NDManager m = NDManager.newBaseManager()) {
            ResidualBlock res = new ResidualBlock(8, 16, 4, 0f);
            res.initialize(m, DataType.FLOAT32, new Shape(2, 8, 6, 6), new Shape(2, 32));
            assertThat(res.isInitialized()).isTrue();
            assertThat(Params.named(res)).containsKeys("02conv1_weight", "03emb_weight");
            NDArray out =
                    Denoiser.of(res, Prediction.EPSILON)
                            .predict(
                                    m.randomNormal(new Shape(3, 8, 6, 6)),
                                    m.ones(new Shape(3, 32)),
                                    null);
            assertThat(out.getShape()).isEqualTo(new Shape(3, 16, 6, 6));
            assertThat(res.getOutputShapes(new Shape[] {new Shape(5, 8, 6, 6), new Shape(5, 32)}))
                    .containsExactly(new Shape(5, 16, 6, 6));
        }
    }

    @Test
    void timeEmbeddingIsSinesThenCosines() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] e = TimeEmbedding.sinusoidal(m.create(new float[] {0, 7}), 8).toFloatArray();
            for (int i = 0; i < 4; i++) {
                double w = Math.pow(10000, -i / 4.0);
                assertThat((double) e[i]).isCloseTo(0, within(1e-6));
                assertThat((double) e[4 + i]).isCloseTo(1, within(1e-6));
                assertThat((double) e[8 + i]).isCloseTo(Math.sin(7 * w), within(1e-5));
                assertThat((double) e[12 + i]).isCloseTo(Math.cos(7 * w), within(1e-5));
            }
        }
    }
}
