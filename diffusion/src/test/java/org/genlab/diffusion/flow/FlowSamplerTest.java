package org.genlab.diffusion.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;

/**
 * The flow samplers driven by the exact velocity of Gaussian data: the ODE's solution is known (x_0
 * = μ + σ_0 z), so the integration error of Euler and Heun can be measured.
 */
class FlowSamplerTest {

    private final GaussianVelocity exact =
            new GaussianVelocity(new double[] {1.0, -0.5}, new double[] {0.7, 0.2});

    /** Largest |x_0 − (μ + σ_0 z)| over a batch of z. */
    private double error(FlowSampler sampler) {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(3);
            NDArray z = m.randomNormal(new Shape(500, 2));
            NDArray x = sampler.sample(exact, z, null, null);
            NDArray target =
                    z.mul(m.create(new float[] {0.7f, 0.2f}).reshape(1, 2))
                            .add(m.create(new float[] {1.0f, -0.5f}).reshape(1, 2));
            return x.sub(target).abs().max().getFloat();
        }
    }

    @Test
    void eulerConvergesToTheExactTransportMap() {
        double coarse = error(FlowSampler.builder().optSteps(10).build());
        double fine = error(FlowSampler.builder().optSteps(1000).build());
        assertThat(fine).isLessThan(0.01);
        // first order: 100× the steps, far less error
        assertThat(fine).isLessThan(coarse / 20);
    }

    @Test
    void heunIsSecondOrderAndBeatsEulerAtEqualSteps() {
        double euler = error(FlowSampler.builder().optSteps(10).build());
        double heun =
                error(
                        FlowSampler.builder()
                                .optSteps(10)
                                .optMethod(FlowSampler.Method.HEUN)
                                .build());
        assertThat(heun).isLessThan(euler / 4);
        assertThat(heun).isLessThan(0.1);
    }

    @Test
    void samplesHaveTheDataMoments() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(9);
            NDArray x =
                    FlowSampler.builder()
                            .optSteps(50)
                            .build()
                            .sample(exact, m, new Shape(4000, 2), null);
            NDArray mean = x.mean(new int[] {0});
            NDArray sd = x.sub(mean).square().mean(new int[] {0}).sqrt();
            assertThat(mean.getFloat(0)).isCloseTo(1.0f, within(0.05f));
            assertThat(mean.getFloat(1)).isCloseTo(-0.5f, within(0.05f));
            assertThat(sd.getFloat(0)).isCloseTo(0.7f, within(0.05f));
            assertThat(sd.getFloat(1)).isCloseTo(0.2f, within(0.03f));
        }
    }

    @Test
    void theExactVelocityMinimisesTheFlowMatchingRegression() {
        // E‖v − u‖² is smallest for v = E[u | x_s]: any other field scores worse.
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(4);
            NDArray x0 =
                    m.randomNormal(new Shape(20000, 2))
                            .mul(m.create(new float[] {0.7f, 0.2f}).reshape(1, 2))
                            .add(m.create(new float[] {1.0f, -0.5f}).reshape(1, 2));
            NDArray eps = m.randomNormal(x0.getShape());
            NDArray s = m.full(new Shape(20000), 0.4f);
            NDArray xs = FlowPath.sample(x0, s, eps);
            NDArray u = FlowPath.velocity(x0, eps);
            NDArray t = FlowPath.networkTime(s);
            float best = exact.predict(xs, t, null).sub(u).square().mean().getFloat();
            Denoiser shifted = new GaussianVelocity(new double[] {1.2, -0.5}, exact.sd);
            Denoiser wider = new GaussianVelocity(exact.mu, new double[] {1.0, 0.2});
            assertThat(shifted.predict(xs, t, null).sub(u).square().mean().getFloat())
                    .isGreaterThan(best + 0.005f);
            assertThat(wider.predict(xs, t, null).sub(u).square().mean().getFloat())
                    .isGreaterThan(best + 0.005f);
        }
    }

    @Test
    void aFlowModelIsNotSampledWithDdimNorAnEpsilonModelWithEuler() {
        try (NDManager m = NDManager.newBaseManager()) {
            DdimSampler ddim = DdimSampler.builder().setSchedule(NoiseSchedule.linear(100)).build();
            assertThatThrownBy(() -> ddim.sample(exact, m, new Shape(4, 2), null))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("FlowSampler");
            Denoiser eps =
                    new Denoiser() {
                        @Override
                        public NDArray predict(NDArray xt, NDArray t, NDArray labels) {
                            return xt;
                        }

                        @Override
                        public Prediction prediction() {
                            return Prediction.EPSILON;
                        }
                    };
            assertThatThrownBy(
                            () ->
                                    FlowSampler.builder()
                                            .build()
                                            .sample(eps, m, new Shape(4, 2), null))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("DdimSampler");
            assertThatThrownBy(() -> FlowSampler.builder().optSteps(0).build())
                    .isInstanceOf(GenLabException.class);
        }
    }
}
