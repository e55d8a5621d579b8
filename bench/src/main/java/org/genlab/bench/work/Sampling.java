package org.genlab.bench.work;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.bench.Timer;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.eval.compare.SampleSource;
import org.genlab.eval.compare.SampleSources;
import org.genlab.gan.GanModels;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.sample.GanSampler;

/**
 * The sampling side of the benchmark: a DCGAN generator and a UNet preset, freshly initialised
 * (their weights do not change the time), sampled through the same {@link SampleSources} that
 * {@code genlab compare} times on trained runs. The same UNet, read as a flow-matching velocity
 * model, is integrated by {@link FlowSampler} for the pixel-space flow row (a flow-matching UNet is
 * the same network; only what its output means differs).
 */
public final class Sampling implements AutoCloseable {

    private final NDManager manager;
    private final GanSampler gan;
    private final Denoiser denoiser;
    private final Denoiser velocity;
    private final Map<String, Long> parameters = new LinkedHashMap<>();
    private final ModelSpec spec;
    private final ImageShape shape;

    /**
     * Builds both networks.
     *
     * @param device where to run
     * @param shape the image size
     * @param ganWidth the DCGAN width
     * @param preset the UNet preset
     * @param seed the seed of the weights
     */
    public Sampling(Device device, ImageShape shape, int ganWidth, String preset, long seed) {
        this.shape = shape;
        manager = NDManager.newBaseManager(device);
        try {
            Seeds.seed(seed);
            Generator g =
                    new GanModels("dcgan", shape.chw(), 0, 100, ganWidth, false, false)
                            .newGenerator();
            g.initialize(manager);
            gan = GanSampler.builder().setGenerator(g).optModelName("gan-dcgan").build();
            spec = DdpmTraining.spec(shape, preset);
            Block unet = spec.build(manager);
            denoiser = spec.denoiser(unet);
            velocity = Denoiser.of(unet, Prediction.FLOW);
            parameters.put("generator", Params.count(g));
            parameters.put("unet", Params.count(unet));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the image size.
     *
     * @return the shape the networks were built for
     */
    public ImageShape shape() {
        return shape;
    }

    /**
     * Returns the GAN source.
     *
     * @return G(z), z ~ N(0, I)
     */
    public SampleSource gan() {
        return SampleSources.gan(gan);
    }

    /**
     * Returns DDPM with a schedule of {@code steps} steps. The time per step does not depend on T,
     * so a short schedule times DDPM-1000 when scaled by 1000 / steps.
     *
     * @param steps the schedule's T
     * @return the source
     */
    public SampleSource ddpm(int steps) {
        return SampleSources.ddpm(NoiseSchedule.linear(steps), denoiser, spec.sampleShape());
    }

    /**
     * Returns DDIM over the 1000-step linear schedule.
     *
     * @param steps DDIM steps
     * @return the source
     */
    public SampleSource ddim(int steps) {
        return SampleSources.ddim(
                NoiseSchedule.linear(spec.steps()), steps, denoiser, spec.sampleShape());
    }

    /**
     * Returns flow sampling with Euler steps s_i = 1 − i/N (the UNet read as a velocity model),
     * clipped to [−1, 1] as {@code genlab sample diffusion} does for a pixel-space flow run.
     *
     * @param steps N
     * @return the source
     */
    public SampleSource flow(int steps) {
        return SampleSources.diffusion(
                "Euler-" + steps,
                FlowSampler.builder().optSteps(steps).build(),
                velocity,
                spec.sampleShape());
    }

    /**
     * Returns the trainable parameters of the generator and the UNet, as the report lists them.
     *
     * @return {@code generator} and {@code unet} → scalars
     */
    public Map<String, Long> parameters() {
        return parameters;
    }

    /**
     * Times a source: each run draws one batch in a manager closed right after.
     *
     * @param source the source
     * @param batch images per run
     * @return the work
     */
    public Timer.Work work(SampleSource source, int batch) {
        return (index, sync) -> {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = source.sample(sub, batch);
                if (sync) {
                    x.sum().getFloat();
                }
            }
        };
    }

    @Override
    public void close() {
        manager.close();
    }
}
