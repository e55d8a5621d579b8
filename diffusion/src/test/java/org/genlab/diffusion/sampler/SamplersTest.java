package org.genlab.diffusion.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;

/** Samplers driven by the closed-form optimal denoiser of Gaussian data: no network involved. */
class SamplersTest {

    private static final int N = 4000;
    private final NoiseSchedule schedule = NoiseSchedule.linear(1000);
    private final GaussianOracle oracle =
            new GaussianOracle(
                    schedule, new double[] {1.0, -0.5}, new double[][] {{0.5, 0.3}, {0.3, 0.4}});

    private static double[] moments(NDArray x) {
        float[] f = x.toFloatArray();
        int n = f.length / 2;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += f[2 * i] / n;
            my += f[2 * i + 1] / n;
        }
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = f[2 * i] - mx;
            double dy = f[2 * i + 1] - my;
            sxx += dx * dx / (n - 1);
            sxy += dx * dy / (n - 1);
            syy += dy * dy / (n - 1);
        }
        return new double[] {mx, my, sxx, sxy, syy};
    }

    private void assertMatchesData(double[] m) {
        // sampling error of N = 4000: mean sd ≈ 0.011, variance sd ≈ 0.011; allow ~4 sd
        assertThat(m[0]).isCloseTo(1.0, within(0.05));
        assertThat(m[1]).isCloseTo(-0.5, within(0.05));
        assertThat(m[2]).isCloseTo(0.5, within(0.05));
        assertThat(m[3]).isCloseTo(0.3, within(0.04));
        assertThat(m[4]).isCloseTo(0.4, within(0.04));
    }

    private NDArray run(Sampler s, NDManager m, long seed) {
        Seeds.seed(seed);
        return s.sample(oracle, m, new Shape(N, 2), null);
    }

    @Test
    void ddpmRecoversMeanAndCovariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sampler s = DdpmSampler.builder().setSchedule(schedule).optClipDenoised(false).build();
            assertMatchesData(moments(run(s, m, 1)));
        }
    }

    @Test
    void ddimRecoversMeanAndCovarianceAndIsDeterministic() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sampler s =
                    DdimSampler.builder()
                            .setSchedule(schedule)
                            .optSteps(50)
                            .optClipDenoised(false)
                            .build();
            assertThat(s.timesteps()).hasSize(50).startsWith(999).endsWith(0);
            NDArray a = run(s, m, 2);
            assertMatchesData(moments(a));
            // η = 0: the same x_T gives the same x_0, whatever the engine's generator does
            Seeds.seed(3);
            NDArray xT = m.randomNormal(new Shape(16, 2));
            Seeds.seed(4);
            float[] first = s.sample(oracle, xT, null, null).toFloatArray();
            Seeds.seed(5);
            float[] second = s.sample(oracle, xT, null, null).toFloatArray();
            assertThat(second).containsExactly(first);
        }
    }

    @Test
    void ddimWithEtaOneOverAllStepsMatchesDdpmInDistribution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sampler ddim =
                    DdimSampler.builder()
                            .setSchedule(schedule)
                            .optSteps(1000)
                            .optEta(1f)
                            .optClipDenoised(false)
                            .build();
            Sampler ddpm =
                    DdpmSampler.builder().setSchedule(schedule).optClipDenoised(false).build();
            assertThat(ddim.timesteps()).containsExactly(ddpm.timesteps());
            double[] a = moments(run(ddim, m, 6));
            double[] b = moments(run(ddpm, m, 7));
            assertMatchesData(a);
            for (int i = 0; i < 5; i++) {
                assertThat(a[i]).isCloseTo(b[i], within(0.06));
            }
            // and step by step: with the same noise the two updates coincide
            NDArray xt = m.randomNormal(new Shape(8, 2));
            NDArray eps = oracle.predict(xt, m.full(new Shape(8), 500f), null);
            int i = 999 - 500;
            Seeds.seed(9);
            float[] x1 = ddim.step(eps, oracle, i, xt).previous().toFloatArray();
            Seeds.seed(9);
            float[] x2 = ddpm.step(eps, oracle, i, xt).previous().toFloatArray();
            for (int k = 0; k < x1.length; k++) {
                assertThat(x1[k]).isCloseTo(x2[k], within(1e-4f));
            }
        }
    }
}
