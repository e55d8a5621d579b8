package org.genlab.eval.compare;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.ModelSpec;

/**
 * A diffusion run: one denoiser (EMA weights when the run kept them), sampled three ways — DDPM
 * with all T steps, DDIM with 50 and with 10 steps (η = 0). Quality is measured with DDIM-50.
 */
final class DiffusionRun implements ModelRun {

    private final RunFolder folder;
    private final NDManager manager;
    private final ModelSpec spec;

    /** The guidance weight w of the class-conditional samples (Ho &amp; Salimans 2022). */
    static final float GUIDANCE = 3f;

    private final Denoiser raw;
    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final Checkpoint checkpoint;

    private DiffusionRun(
            RunFolder folder,
            NDManager manager,
            ModelSpec spec,
            Denoiser denoiser,
            NoiseSchedule schedule,
            Checkpoint cp) {
        this.folder = folder;
        this.manager = manager;
        this.spec = spec;
        this.raw = denoiser;
        // a conditional model samples unconditionally through its "null" class
        this.denoiser =
                spec.numClasses() > 0
                        ? new ClassifierFreeGuidance(denoiser, spec.numClasses(), 1f)
                        : denoiser;
        this.schedule = schedule;
        this.checkpoint = cp;
    }

    static DiffusionRun open(RunFolder folder, Device device) {
        // a custom denoiser or schedule: one line on sampling it from code (GenLabException)
        ModelSpec spec = ModelSpec.fromConfig(folder.config());
        NDManager m = NDManager.newBaseManager(device);
        try {
            Block block = spec.build(m);
            Checkpoint cp =
                    Checkpoint.loadNetwork(
                            folder.checkpointFile(),
                            ModelSpec.MODEL,
                            ModelSpec.NETWORK,
                            block,
                            true);
            return new DiffusionRun(
                    folder, m, spec, spec.denoiser(block), spec.noiseSchedule(), cp);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public ConditionalSource conditionalSampler() {
        if (spec.numClasses() == 0) {
            return null;
        }
        Denoiser guided = new ClassifierFreeGuidance(raw, spec.numClasses(), GUIDANCE);
        Sampler ddim = DdimSampler.builder().setSchedule(schedule).optSteps(50).optEta(0f).build();
        return new ConditionalSource() {
            @Override
            public String label() {
                return "DDIM-50, guidance " + GUIDANCE;
            }

            @Override
            public int numClasses() {
                return spec.numClasses();
            }

            @Override
            public NDArray sample(NDManager m, NDArray labels) {
                return ddim.sample(guided, m, spec.batchShape((int) labels.size()), labels)
                        .clip(-1, 1);
            }
        };
    }

    @Override
    public String name() {
        return folder.dir().getFileName().toString();
    }

    @Override
    public String family() {
        return "Diffusion";
    }

    @Override
    public String dataset() {
        return folder.config().getOrDefault("dataset", "?");
    }

    @Override
    public RunFolder folder() {
        return folder;
    }

    @Override
    public long steps() {
        return checkpoint.getStep();
    }

    @Override
    public LossHistory history() {
        return checkpoint.getHistory();
    }

    @Override
    public SampleSource qualitySampler() {
        return SampleSources.ddim(schedule, 50, denoiser, spec.sampleShape());
    }

    @Override
    public List<SampleSource> speedSamplers() {
        return SampleSources.diffusionSpeeds(schedule, denoiser, spec.sampleShape());
    }

    @Override
    public void close() {
        manager.close();
    }
}
