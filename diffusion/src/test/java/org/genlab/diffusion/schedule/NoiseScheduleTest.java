package org.genlab.diffusion.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @Test
    void linearScheduleMatchesHoEtAl() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        assertThat(s.beta(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(s.beta(999)).isCloseTo(0.02, within(1e-12));
        // independent: ᾱ_T = exp(Σ log(1 − β)) with β = 1e-4 + (0.02 − 1e-4) i / 999
        double log = 0;
        for (int i = 0; i < 1000; i++) {
            log += Math.log1p(-(1e-4 + (0.02 - 1e-4) * i / 999.0));
        }
        assertThat(s.alphaBar(999)).isCloseTo(Math.exp(log), within(1e-12));
        assertThat(s.alphaBar(999)).isCloseTo(4.04e-5, within(0.01e-5));
        assertThat(s.alphaBar(-1)).isEqualTo(1.0);
        // posterior: β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t), at t = 1 (index 1)
        double ab0 = 1 - 1e-4;
        double b1 = 1e-4 + (0.02 - 1e-4) / 999.0;
        double ab1 = ab0 * (1 - b1);
        assertThat(s.posteriorVariance(1)).isCloseTo(b1 * (1 - ab0) / (1 - ab1), within(1e-15));
        assertThat(s.posteriorMeanCoefX0(1))
                .isCloseTo(b1 * Math.sqrt(ab0) / (1 - ab1), within(1e-12));
        assertThat(s.posteriorMeanCoefXt(1))
                .isCloseTo((1 - ab0) * Math.sqrt(1 - b1) / (1 - ab1), within(1e-12));
        // at t = 0 the posterior mean is x_0 itself
        assertThat(s.posteriorMeanCoefX0(0)).isCloseTo(1.0, within(1e-12));
        assertThat(s.posteriorVariance(0)).isEqualTo(0.0);
    }

    @Test
    void cosineScheduleFollowsNicholDhariwal() {
        NoiseSchedule s = NoiseSchedule.cosine(1000);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int t : new int[] {0, 250, 500, 750}) {
            double f = Math.pow(Math.cos(((t + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            assertThat(s.alphaBar(t)).isCloseTo(f / f0, within(1e-9));
        }
        assertThat(s.beta(999)).isEqualTo(0.999);
        for (int t = 1; t < 1000; t++) {
            assertThat(s.alphaBar(t)).isLessThan(s.alphaBar(t - 1));
        }
    }

    @Test
    void forwardProcessMeanAndVarianceMatchTheFormula() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(7);
            int n = 200_000;
            NoiseSchedule.Tensors tables = s.tensors(m);
            NDArray x0 = m.full(new Shape(n, 1), 0.8f);
            for (int t : new int[] {10, 300, 999}) {
                NDArray ts = m.full(new Shape(n), t).toType(DataType.INT64, false);
                NDArray xt = ForwardProcess.sample(tables, x0, ts, m.randomNormal(x0.getShape()));
                double mean = xt.mean().getFloat();
                double var = xt.sub(mean).square().mean().getFloat();
                double ab = s.alphaBar(t);
                // the wrong "ᾱ x_0" of DJL's example would give 0.8 ᾱ: distinguishable at t = 300
                assertThat(mean).isCloseTo(Math.sqrt(ab) * 0.8, within(0.01));
                assertThat(var).isCloseTo(1 - ab, within(0.01));
            }
        }
    }

    @Test
    void customSchedulesFromBetasOrAlphaBarsAgree() {
        double[] betas = NoiseSchedule.cosine(50).betas();
        NoiseSchedule fromBetas = NoiseSchedule.fromBetas(betas);
        NoiseSchedule fromAlphaBars =
                NoiseSchedule.fromAlphaBars("cosine-copy", NoiseSchedule.cosine(50).alphaBars());
        assertThat(fromBetas.name()).isEqualTo("custom");
        assertThat(fromAlphaBars.name()).isEqualTo("cosine-copy");
        for (int t = 0; t < 50; t++) {
            assertThat(fromBetas.alphaBar(t)).isEqualTo(NoiseSchedule.cosine(50).alphaBar(t));
            assertThat(fromAlphaBars.beta(t)).isCloseTo(betas[t], within(1e-12));
            assertThat(fromAlphaBars.posteriorVariance(t))
                    .isCloseTo(fromBetas.posteriorVariance(t), within(1e-12));
        }
        // a linear schedule with other end points is not "linear" in a run folder
        assertThat(NoiseSchedule.linear(100).name()).isEqualTo("linear");
        assertThat(NoiseSchedule.linear(100, 1e-4, 0.05).name()).isNotEqualTo("linear");
    }

    @Test
    void badTablesAreRefusedWithOneLine() {
        assertThatThrownBy(() -> NoiseSchedule.fromBetas(0.1, 1.2))
                .isInstanceOf(GenLabException.class)
                .hasMessage("NoiseSchedule.fromBetas: β_2 = 1.2 is not in (0, 1).");
        assertThatThrownBy(() -> NoiseSchedule.fromBetas(0.1, Double.NaN))
                .hasMessageContaining("β_2 = NaN");
        assertThatThrownBy(() -> NoiseSchedule.fromBetas())
                .hasMessageContaining("at least one step");
        assertThatThrownBy(() -> NoiseSchedule.fromAlphaBars(0.9, 0.95))
                .isInstanceOf(GenLabException.class)
                .hasMessage(
                        "NoiseSchedule.fromAlphaBars: ᾱ must fall strictly from ᾱ_0 = 1 and stay"
                                + " above 0, but ᾱ_2 = 0.95 after ᾱ_1 = 0.9.");
        assertThatThrownBy(() -> NoiseSchedule.fromAlphaBars(1.0, 0.5))
                .hasMessageContaining("ᾱ_1 = 1.0 after ᾱ_0 = 1.0");
        assertThatThrownBy(() -> NoiseSchedule.fromAlphaBars(0.5, 0.0))
                .hasMessageContaining("ᾱ_2 = 0.0");
        assertThatThrownBy(() -> NoiseSchedule.fromBetas("linear", 0.1))
                .hasMessageContaining("names a built-in schedule")
                .hasMessageNotContaining("\n");
    }
}
