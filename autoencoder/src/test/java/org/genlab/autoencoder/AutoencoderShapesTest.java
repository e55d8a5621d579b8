package org.genlab.autoencoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

/** Encoder → bottleneck → decoder keeps its shapes for MNIST and CIFAR-10 sized images. */
class AutoencoderShapesTest {

    private static void roundTrip(Shape image, Shape latent) {
        Seeds.seed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Autoencoder ae =
                    Autoencoder.builder()
                            .setImageShape(image)
                            .optLatentChannels(4)
                            .optWidth(32)
                            .build()
                            .initialize(m);
            assertThat(ae.latentShape()).isEqualTo(latent);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomUniform(-1, 1, new Shape(3).addAll(image));
            NDArray mu = ae.encode(ps, x);
            assertThat(mu.getShape()).isEqualTo(new Shape(3).addAll(latent));
            assertThat(ae.decode(ps, mu, false).getShape()).isEqualTo(x.getShape());
            Autoencoder.Reconstruction r = ae.reconstruct(ps, x, true);
            assertThat(r.xHat().getShape()).isEqualTo(x.getShape());
            assertThat(r.z().getShape()).isEqualTo(mu.getShape());
            assertThat(r.losses()).containsKey("kl");
            // the settings rebuild the same architecture
            Autoencoder back = Autoencoder.fromConfig(ae.toConfig());
            assertThat(back.imageShape()).isEqualTo(image);
            assertThat(back.latentShape()).isEqualTo(latent);
            assertThat(Params.count(back.initialize(m))).isEqualTo(Params.count(ae));
        }
    }

    @Test
    void mnistIs4x7x7() {
        roundTrip(new Shape(1, 28, 28), new Shape(4, 7, 7));
    }

    @Test
    void cifarIs4x8x8() {
        roundTrip(new Shape(3, 32, 32), new Shape(4, 8, 8));
    }

    @Test
    void theDefaultMnistAutoencoderIsSmall() {
        try (NDManager m = NDManager.newBaseManager()) {
            Autoencoder ae =
                    Autoencoder.builder().setImageShape(new Shape(1, 28, 28)).build().initialize(m);
            assertThat(Params.count(ae)).isBetween(100_000L, 300_000L);
        }
    }

    @Test
    void sidesNotDivisibleBy4AreRefused() {
        assertThatThrownBy(() -> Autoencoder.builder().setImageShape(new Shape(1, 30, 30)).build())
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("divisible by 4");
    }
}
