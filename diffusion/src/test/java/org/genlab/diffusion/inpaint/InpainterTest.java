package org.genlab.diffusion.inpaint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;

class InpainterTest {

    @Test
    void keepsKnownPixelsAndFillsTheRest() {
        NoiseSchedule s = NoiseSchedule.linear(1000);
        // optimal denoiser for data that is 0.5 everywhere: ε = (x_t − √ᾱ 0.5)/√(1 − ᾱ)
        Denoiser constant =
                (xt, t, labels) -> {
                    double ab = s.alphaBar(Math.round(t.getFloat(0)));
                    return xt.sub((float) (Math.sqrt(ab) * 0.5)).div((float) Math.sqrt(1 - ab));
                };
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(11);
            NDArray image = m.randomUniform(-1f, 1f, new Shape(2, 1, 8, 8));
            NDArray mask = Inpainter.mask(m, "right", 8, 8);
            assertThat(mask.sum().getFloat()).isEqualTo(32f);
            for (var sampler :
                    new org.genlab.diffusion.sampler.Sampler[] {
                        DdimSampler.builder().setSchedule(s).optSteps(25).build(),
                        DdpmSampler.builder().setSchedule(s).build()
                    }) {
                NDArray out =
                        Inpainter.builder()
                                .setSampler(sampler)
                                .optResampling(2)
                                .build()
                                .inpaint(constant, image, mask, null, null);
                float[] o = out.toFloatArray();
                float[] in = image.toFloatArray();
                float[] mk = mask.toFloatArray();
                for (int i = 0; i < o.length; i++) {
                    if (mk[i % 64] == 1f) {
                        assertThat(o[i])
                                .isCloseTo(in[i], org.assertj.core.api.Assertions.within(1e-5f));
                    } else {
                        assertThat(o[i]).isBetween(0.4f, 0.6f);
                    }
                }
            }
        }
    }
}
