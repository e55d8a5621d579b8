package org.genlab.eval.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.gan.sample.GanSampler;

/**
 * The sample sources whose speed GenLab reports: a GAN's generator, and a diffusion model driven by
 * DDPM with all steps and by DDIM with 50 and 10 steps. {@code genlab compare} uses them on trained
 * runs, {@code genlab bench} on freshly initialised networks, so both measure the same code.
 */
public final class SampleSources {

    private SampleSources() {}

    /**
     * Samples a GAN: z ~ N(0, I) through G in inference mode (random classes for a conditional G).
     *
     * @param sampler the generator's sampler
     * @return the source, labelled {@code GAN}
     */
    public static SampleSource gan(GanSampler sampler) {
        return new SampleSource() {
            @Override
            public String label() {
                return "GAN";
            }

            @Override
            public NDArray sample(NDManager m, int n) {
                return sampler.sample(m, n, null, 0);
            }
        };
    }

    /**
     * Samples a diffusion model unconditionally with a sampler, clipped to [−1, 1].
     *
     * @param label e.g. {@code DDIM-50}
     * @param sampler DDPM or DDIM
     * @param denoiser the model
     * @param sampleShape the shape of one sample, (C, H, W)
     * @return the source
     */
    public static SampleSource diffusion(
            String label, Sampler sampler, Denoiser denoiser, Shape sampleShape) {
        return new SampleSource() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public NDArray sample(NDManager m, int n) {
                return sampler.sample(denoiser, m, new Shape(n).addAll(sampleShape), null)
                        .clip(-1, 1);
            }
        };
    }

    /**
     * DDPM with every step of the schedule (Ho et al. 2020, Algorithm 2).
     *
     * @param schedule the schedule
     * @param denoiser the model
     * @param sampleShape the shape of one sample, (C, H, W)
     * @return the source, labelled {@code DDPM-T}
     */
    public static SampleSource ddpm(NoiseSchedule schedule, Denoiser denoiser, Shape sampleShape) {
        return diffusion(
                "DDPM-" + schedule.steps(),
                DdpmSampler.builder().setSchedule(schedule).build(),
                denoiser,
                sampleShape);
    }

    /**
     * Deterministic DDIM (η = 0) with a number of steps.
     *
     * @param schedule the schedule
     * @param steps the DDIM steps
     * @param denoiser the model
     * @param sampleShape the shape of one sample, (C, H, W)
     * @return the source, labelled {@code DDIM-steps}
     */
    public static SampleSource ddim(
            NoiseSchedule schedule, int steps, Denoiser denoiser, Shape sampleShape) {
        return diffusion(
                "DDIM-" + steps,
                DdimSampler.builder().setSchedule(schedule).optSteps(steps).optEta(0f).build(),
                denoiser,
                sampleShape);
    }

    /**
     * The three diffusion speeds of the lecture: DDPM with all steps, DDIM-50 and DDIM-10.
     *
     * @param schedule the schedule
     * @param denoiser the model
     * @param sampleShape the shape of one sample, (C, H, W)
     * @return the sources
     */
    public static List<SampleSource> diffusionSpeeds(
            NoiseSchedule schedule, Denoiser denoiser, Shape sampleShape) {
        return List.of(
                ddpm(schedule, denoiser, sampleShape),
                ddim(schedule, 50, denoiser, sampleShape),
                ddim(schedule, 10, denoiser, sampleShape));
    }
}
