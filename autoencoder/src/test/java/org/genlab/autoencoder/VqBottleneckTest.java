package org.genlab.autoencoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.genlab.autoencoder.bottleneck.Bottleneck;
import org.genlab.autoencoder.bottleneck.VqBottleneck;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

/**
 * The VQ-VAE quantiser on constructed vectors: nearest code, token round trip, the VQ losses,
 * straight-through gradients, usage and perplexity, and dead-code restarts.
 */
class VqBottleneckTest {

    /** Four codes in 2D: e_0 = (0, 0), e_1 = (1, 0), e_2 = (0, 1), e_3 = (−1, −1). */
    private static final float[] CODES = {0, 0, 1, 0, 0, 1, -1, -1};

    private static VqBottleneck bottleneck(NDManager m, int restartAfter, float[] codes) {
        VqBottleneck vq = new VqBottleneck(codes.length / 2, 0.25f, restartAfter);
        vq.initialize(m, DataType.FLOAT32, new Shape(1, 2, 2, 2));
        try (NoGrad scope = NoGrad.enter()) {
            vq.codebook().set(new NDIndex(":"), m.create(codes, new Shape(codes.length / 2, 2)));
        }
        return vq;
    }

    /** (1, 2, 2, 2): one image, D = 2, a 2×2 grid; positions given row-major as (x, y) pairs. */
    private static NDArray grid(NDManager m, float... xy) {
        return m.create(xy, new Shape(1, 2, 2, 2)).transpose(0, 3, 1, 2).duplicate();
    }

    @Test
    void choosesTheNearestCodeAndTokensRoundTrip() {
        try (NDManager m = NDManager.newBaseManager()) {
            VqBottleneck vq = bottleneck(m, 0, CODES);
            ParameterStore ps = new ParameterStore(m, false);
            // positions near e_1, e_3, e_0, e_2
            NDArray h = grid(m, 0.9f, 0.2f, -0.7f, -0.8f, 0.1f, -0.2f, 0.3f, 0.6f);
            NDArray k = vq.indices(h);
            assertThat(k.getShape()).isEqualTo(new Shape(1, 2, 2));
            assertThat(k.toLongArray()).containsExactly(1, 3, 0, 2);
            // z_q = e_k, in (B, D, h, w)
            NDArray expected = grid(m, 1, 0, -1, -1, 0, 0, 0, 1);
            assertThat(vq.latent(ps, h).sub(expected).abs().max().getFloat()).isZero();
            assertThat(vq.codeVectors(k).sub(expected).abs().max().getFloat()).isZero();
            assertThat(vq.indices(vq.codeVectors(k)).toLongArray()).containsExactly(1, 3, 0, 2);
            // the forward value of z_st is z_q
            Bottleneck.Output out = vq.apply(ps, h, false);
            assertThat(out.z().sub(expected).abs().max().getFloat()).isLessThan(1e-6f);
            // ‖sg[z_e] − e‖² and β ‖z_e − sg[e]‖², means over 4 positions × 2 dimensions
            float sq = (0.01f + 0.04f + 0.09f + 0.04f + 0.01f + 0.04f + 0.09f + 0.16f) / 8;
            assertThat(out.losses().get(VqBottleneck.CODEBOOK).getFloat())
                    .isCloseTo(sq, within(1e-6f));
            assertThat(out.losses().get(VqBottleneck.COMMITMENT).getFloat())
                    .isCloseTo(0.25f * sq, within(1e-6f));
            // all 4 codes once each: usage 1, perplexity 4
            assertThat(out.metrics().get(VqBottleneck.USAGE).getFloat()).isEqualTo(1f);
            assertThat(out.metrics().get(VqBottleneck.PERPLEXITY).getFloat())
                    .isCloseTo(4f, within(1e-4f));
            // two codes, twice each: usage ½, perplexity 2
            NDArray two = grid(m, 0.9f, 0, 0.8f, 0.1f, 0, 0.9f, 0.1f, 0.8f);
            Bottleneck.Output o2 = vq.apply(ps, two, false);
            assertThat(o2.metrics().get(VqBottleneck.USAGE).getFloat()).isEqualTo(0.5f);
            assertThat(o2.metrics().get(VqBottleneck.PERPLEXITY).getFloat())
                    .isCloseTo(2f, within(1e-4f));
        }
    }

    @Test
    void theStraightThroughGradientReachesTheEncoderUnchanged() {
        Seeds.seed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            VqBottleneck vq = bottleneck(m, 0, CODES);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray h = m.randomNormal(new Shape(3, 2, 4, 4));
            NDArray w = m.randomNormal(new Shape(3, 2, 4, 4));
            h.setRequiresGradient(true);
            // a downstream loss L = Σ w ⊙ z_st: ∂L/∂z_q = w
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray z = vq.apply(ps, h, true).z();
                gc.backward(z.mul(w).sum());
            }
            // ∂L/∂z_e = ∂L/∂z_q (copied across the argmin)
            assertThat(h.getGradient().sub(w).abs().max().getFloat()).isLessThan(1e-6f);
            // sg[z_q − z_e]: the decoder's gradient does not move the codebook
            assertThat(vq.codebook().getGradient().abs().max().getFloat()).isZero();
        }
    }

    @Test
    void theCodebookLossMovesCodesAndTheCommitmentLossMovesTheEncoder() {
        try (NDManager m = NDManager.newBaseManager()) {
            VqBottleneck vq = bottleneck(m, 0, CODES);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray h = grid(m, 0.9f, 0.2f, -0.7f, -0.8f, 0.1f, -0.2f, 0.3f, 0.6f);
            h.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Bottleneck.Output out = vq.apply(ps, h, true);
                gc.backward(out.losses().get(VqBottleneck.CODEBOOK));
            }
            // ∂/∂e_1 of mean (e − sg[z])² over 8 numbers: 2 (e_1 − z) / 8 = (0.1, −0.2) / 4
            NDArray g = vq.codebook().getGradient();
            assertThat(g.get(1).toFloatArray()[0]).isCloseTo(0.025f, within(1e-6f));
            assertThat(g.get(1).toFloatArray()[1]).isCloseTo(-0.05f, within(1e-6f));
            assertThat(h.getGradient().abs().max().getFloat()).isZero();
            vq.afterStep();
        }
    }

    @Test
    void aCodeUnusedForLongIsMovedOntoAnEncoderOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            // e_3 = (100, 100) is far from every input: never chosen
            float[] codes = {0, 0, 1, 0, 0, 1, 100, 100};
            VqBottleneck vq = bottleneck(m, 3, codes);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray h = grid(m, 0.9f, 0.2f, -0.7f, -0.8f, 0.1f, -0.2f, 0.3f, 0.6f);
            float[] inputs = h.toFloatArray();
            for (int step = 1; step <= 2; step++) {
                vq.apply(ps, h, true);
                assertThat(vq.afterStep()).isZero();
            }
            assertThat(vq.codebook().get(3).toFloatArray()).containsExactly(100f, 100f);
            vq.apply(ps, h, true);
            assertThat(vq.afterStep()).isEqualTo(1);
            assertThat(vq.restarts()).isEqualTo(1);
            float[] e3 = vq.codebook().get(3).toFloatArray();
            // e_3 now equals one of the four encoder outputs z_e = h[0, :, i, j]
            boolean found = false;
            NDArray flat = h.transpose(0, 2, 3, 1).reshape(4, 2);
            for (int i = 0; i < 4; i++) {
                float[] row = flat.get(i).toFloatArray();
                found |= row[0] == e3[0] && row[1] == e3[1];
            }
            assertThat(found).as("e_3 = %s, inputs %s", e3, inputs).isTrue();
            // the other codes are untouched
            assertThat(vq.codebook().get("0:3").toFloatArray())
                    .containsExactly(0f, 0f, 1f, 0f, 0f, 1f);
        }
    }

    @Test
    void anAutoencoderWithAVqBottleneckGivesTokensAndRebuildsFromItsConfig() {
        try (NDManager m = NDManager.newBaseManager()) {
            Autoencoder ae =
                    Autoencoder.builder()
                            .setImageShape(new Shape(1, 28, 28))
                            .optLatentChannels(8)
                            .optBottleneck(Bottleneck.vq(64))
                            .build()
                            .initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomUniform(-1, 1, new Shape(3, 1, 28, 28));
            NDArray tokens = ae.tokens(ps, x);
            assertThat(tokens.getShape()).isEqualTo(new Shape(3, 7, 7));
            assertThat(tokens.getDataType()).isEqualTo(DataType.INT64);
            assertThat(tokens.min().getLong()).isGreaterThanOrEqualTo(0);
            assertThat(tokens.max().getLong()).isLessThan(64);
            assertThat(((VqBottleneck) ae.bottleneck()).codebook().getShape())
                    .isEqualTo(new Shape(64, 8));
            // decoding tokens = decoding the quantised latent
            NDArray a = ae.decodeTokens(ps, tokens);
            NDArray b = ae.decode(ps, ae.encode(ps, x), false);
            assertThat(a.getShape()).isEqualTo(x.getShape());
            assertThat(a.sub(b).abs().max().getFloat()).isLessThan(1e-6f);

            Map<String, String> c = ae.toConfig();
            assertThat(c)
                    .containsEntry("autoencoder.bottleneck", "vq")
                    .containsEntry("autoencoder.codebookSize", "64")
                    .containsEntry("autoencoder.commitment", "0.25");
            Autoencoder back = Autoencoder.fromConfig(c);
            assertThat(back.bottleneck()).isInstanceOf(VqBottleneck.class);
            assertThat(((VqBottleneck) back.bottleneck()).codes()).isEqualTo(64);
            assertThat(back.toConfig()).isEqualTo(c);

            Autoencoder kl = Autoencoder.builder().setImageShape(new Shape(1, 28, 28)).build();
            assertThatThrownBy(() -> kl.initialize(m).tokens(ps, x))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("vector-quantised");
            assertThatThrownBy(() -> Bottleneck.byName("vqgan"))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("kl and vq");
        }
    }
}
