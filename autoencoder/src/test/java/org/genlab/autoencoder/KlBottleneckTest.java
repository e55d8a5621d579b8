package org.genlab.autoencoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.genlab.autoencoder.bottleneck.Bottleneck;
import org.genlab.autoencoder.bottleneck.KlBottleneck;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

/** KL(N(μ, σ²) ‖ N(0, I)) and the reparameterisation z = μ + σ ε. */
class KlBottleneckTest {

    @Test
    void klIsZeroAtTheStandardGaussianAndPositiveElsewhere() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 4, 7, 7);
            NDArray zero = m.zeros(s);
            assertThat(KlBottleneck.kl(zero, zero).getFloat()).isEqualTo(0f);
            // μ = 1, log σ² = 0: ½ μ² = 0.5 per element
            assertThat(KlBottleneck.kl(m.ones(s), zero).getFloat()).isCloseTo(0.5f, within(1e-6f));
            // μ = 0, log σ² = 1: ½ (e − 1 − 1) ≈ 0.359
            float kl = KlBottleneck.kl(zero, m.ones(s)).getFloat();
            assertThat(kl).isCloseTo((float) (0.5 * (Math.E - 2)), within(1e-5f));
            assertThat(KlBottleneck.kl(zero, m.ones(s).neg()).getFloat()).isPositive();
        }
    }

    @Test
    void trainingSamplesAroundMuAndEncodingGivesMu() {
        Seeds.seed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            Bottleneck b = Bottleneck.kl();
            ParameterStore ps = new ParameterStore(m, false);
            assertThat(b.inputChannels(4)).isEqualTo(8);
            // μ = 2, log σ² = log 0.25 (σ = 0.5), 4 × 64 × 64 elements
            NDArray mu = m.full(new Shape(1, 4, 64, 64), 2f);
            NDArray logVar = m.full(new Shape(1, 4, 64, 64), (float) Math.log(0.25));
            NDArray h = NDArrays.concat(new NDList(mu, logVar), 1);
            assertThat(b.latent(ps, h).getShape()).isEqualTo(mu.getShape());
            assertThat(b.latent(ps, h).sub(mu).abs().max().getFloat()).isZero();
            NDArray z = b.apply(ps, h, true).z();
            float mean = z.mean().getFloat();
            float std = (float) Math.sqrt(z.sub(mean).square().mean().getFloat());
            assertThat(mean).isCloseTo(2f, within(0.02f));
            assertThat(std).isCloseTo(0.5f, within(0.02f));
            assertThat(b.apply(ps, h, false).z().sub(mu).abs().max().getFloat()).isZero();
        }
    }
}
