package org.genlab.gan.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.stream.Stream;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkShapesTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("dcgan", 1, 28, 0, false),
                Arguments.of("dcgan", 1, 28, 10, false),
                Arguments.of("dcgan", 3, 32, 0, true),
                Arguments.of("dcgan", 3, 32, 10, true),
                Arguments.of("mlp", 1, 28, 0, false),
                Arguments.of("mlp", 1, 28, 10, true),
                Arguments.of("mlp", 3, 32, 0, false),
                Arguments.of("mlp", 3, 32, 10, false));
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{2} classes={3} sn={4}")
    @MethodSource("configs")
    void generatorAndDiscriminatorShapes(String model, int c, int size, int classes, boolean sn) {
        Seeds.seed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Generator g;
            Discriminator d;
            if (model.equals("dcgan")) {
                g =
                        DcganGenerator.builder()
                                .setImageShape(c, size, size)
                                .optWidth(8)
                                .optLatentDim(16)
                                .optNumClasses(classes)
                                .build();
                d =
                        DcganDiscriminator.builder()
                                .setImageShape(c, size, size)
                                .optWidth(8)
                                .optNumClasses(classes)
                                .optSpectralNorm(sn)
                                .optBatchNorm(!sn)
                                .build();
            } else {
                g =
                        MlpGenerator.builder()
                                .setSampleShape(new Shape(c, size, size))
                                .optWidth(32)
                                .optLatentDim(16)
                                .optTanh(true)
                                .optNumClasses(classes)
                                .build();
                d =
                        MlpDiscriminator.builder()
                                .setSampleShape(new Shape(c, size, size))
                                .optWidth(32)
                                .optNumClasses(classes)
                                .optSpectralNorm(sn)
                                .build();
            }
            g.initialize(m);
            d.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z = m.randomNormal(new Shape(5, 16));
            NDArray y = classes > 0 ? m.arange(0, 5).toType(DataType.INT32, false) : null;
            NDArray x = g.generate(ps, z, y, true);
            assertThat(x.getShape()).isEqualTo(new Shape(5, c, size, size));
            assertThat(g.getOutputShapes(g.inputShapes(5))[0]).isEqualTo(x.getShape());
            float[] px = x.toFloatArray();
            for (float v : px) {
                assertThat(v).isBetween(-1f, 1f);
            }
            NDArray logits = d.logits(ps, x, y, true);
            assertThat(logits.getShape()).isEqualTo(new Shape(5, 1));
            assertThat(g.isConditional()).isEqualTo(classes > 0);
            assertThat(d.isConditional()).isEqualTo(classes > 0);
            // eval mode (BatchNorm running stats, no power iteration) keeps the shapes
            assertThat(g.generate(ps, z, y, false).getShape()).isEqualTo(x.getShape());
            assertThat(d.logits(ps, x, y, false).getShape()).isEqualTo(new Shape(5, 1));
        }
    }

    @org.junit.jupiter.api.Test
    void twoDimensionalToyShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Generator g =
                    MlpGenerator.builder().setSampleShape(new Shape(2)).optLatentDim(4).build();
            Discriminator d = MlpDiscriminator.builder().setSampleShape(new Shape(2)).build();
            g.initialize(m);
            d.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = g.generate(ps, m.randomNormal(new Shape(7, 4)), null, true);
            assertThat(x.getShape()).isEqualTo(new Shape(7, 2));
            assertThat(d.logits(ps, x, null, true).getShape()).isEqualTo(new Shape(7, 1));
            assertThat(g.isImage()).isFalse();
        }
    }

    @org.junit.jupiter.api.Test
    void aBodyOfTheWrongShapeIsReportedWhenTheNetworkIsInitialised() {
        try (NDManager m = NDManager.newBaseManager()) {
            Generator g =
                    Generator.builder()
                            .setBody(ai.djl.nn.core.Linear.builder().setUnits(784).build())
                            .setLatentDim(8)
                            .setSampleShape(new Shape(1, 28, 28))
                            .build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.initialize(m))
                    .isInstanceOf(org.genlab.core.GenLabException.class)
                    .hasMessageContaining("(2, 784)")
                    .hasMessageContaining("(N, 1, 28, 28)");
            Discriminator d =
                    Discriminator.builder()
                            .setBody(
                                    ai.djl.nn.convolutional.Conv2d.builder()
                                            .setFilters(4)
                                            .setKernelShape(new Shape(3, 3))
                                            .build())
                            .setSampleShape(new Shape(1, 8, 8))
                            .build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.initialize(m))
                    .isInstanceOf(org.genlab.core.GenLabException.class)
                    .hasMessageContaining("batchFlattenBlock");
        }
    }

    @org.junit.jupiter.api.Test
    void doublingsMatchTheImageSides() {
        assertThat(DcganGenerator.doublings(28)).isEqualTo(2);
        assertThat(DcganGenerator.doublings(32)).isEqualTo(3);
        assertThat(DcganGenerator.doublings(64)).isEqualTo(4);
    }

    @org.junit.jupiter.api.Test
    void spectralNormBringsTheLargestSingularValueToOne() {
        Seeds.seed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            SnLinear layer = new SnLinear(6);
            layer.setInitializer(
                    new ai.djl.training.initializer.NormalInitializer(1f),
                    ai.djl.nn.Parameter.Type.WEIGHT);
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 4));
            for (int i = 0; i < 50; i++) { // power iteration converges over forward passes
                layer.forward(ps, new ai.djl.ndarray.NDList(x), true);
            }
            NDArray w = layer.getParameters().get("weight").getArray();
            NDArray u = layer.getParameters().get("u").getArray();
            NDArray wsn = SpectralNorm.normalize(w, u.duplicate(), false, m);
            // largest singular value of W_SN by power iteration on W_SNᵀ W_SN, done here by hand
            NDArray v = m.ones(new Shape(4));
            for (int i = 0; i < 200; i++) {
                v = wsn.transpose().matMul(wsn.matMul(v));
                v = v.div(v.norm());
            }
            float sigma = wsn.matMul(v).norm().getFloat();
            assertThat(sigma).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-3f));
            float raw = w.matMul(v).norm().getFloat();
            assertThat(raw).isGreaterThan(1.5f); // the raw weight was not already normalised
        }
    }
}
