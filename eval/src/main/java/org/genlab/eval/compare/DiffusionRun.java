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
    private final ai.djl.ndarray.types.Shape sampleShape;
    private final int numClasses;

    /** The guidance weight w of the class-conditional samples (Ho &amp; Salimans 2022). */
    static final float GUIDANCE = 3f;

    private final Denoiser raw;
    private final Denoiser denoiser;
    private final NoiseSchedule schedule;
    private final Checkpoint checkpoint;

    private DiffusionRun(
            RunFolder folder,
            NDManager manager,
            ai.djl.ndarray.types.Shape sampleShape,
            int numClasses,
            Denoiser denoiser,
            NoiseSchedule schedule,
            Checkpoint cp) {
        this.folder = folder;
        this.manager = manager;
        this.sampleShape = sampleShape;
        this.numClasses = numClasses;
        this.raw = denoiser;
        // a conditional model samples unconditionally through its "null" class
        this.denoiser =
                numClasses > 0 ? new ClassifierFreeGuidance(denoiser, numClasses, 1f) : denoiser;
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
                    folder,
                    m,
                    spec.sampleShape(),
                    spec.numClasses(),
                    spec.denoiser(block),
                    spec.noiseSchedule(),
                    cp);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Opens the run of a denoiser GenLab cannot rebuild (a class of your own): you pass the
     * network, built as for training, and the schedule it was trained with; its EMA weights are
     * loaded from the run's checkpoint.
     */
    static DiffusionRun custom(
            RunFolder folder, Block network, NoiseSchedule schedule, Device device) {
        java.util.Map<String, String> c = folder.config();
        Runs.checkClass(folder, c.get("networkClass"), network, "denoiser");
        if (c.containsKey("timesteps")
                && Integer.parseInt(c.get("timesteps")) != schedule.steps()) {
            throw new org.genlab.core.GenLabException(
                    "The run was trained with T = "
                            + c.get("timesteps")
                            + " steps, the schedule given has "
                            + schedule.steps()
                            + ": pass the schedule it was trained with.");
        }
        ai.djl.ndarray.types.Shape shape = Runs.shape(folder, c.get("sampleShape"));
        int classes = Integer.parseInt(c.getOrDefault("classes", "0"));
        org.genlab.diffusion.nn.Prediction prediction =
                org.genlab.diffusion.nn.Prediction.valueOf(
                        c.getOrDefault("prediction", "epsilon").toUpperCase(java.util.Locale.ROOT));
        NDManager m = NDManager.newBaseManager(device);
        try {
            if (!network.isInitialized()) {
                throw new org.genlab.core.GenLabException(
                        "Initialise the denoiser before comparing it (as for training).");
            }
            Checkpoint cp =
                    Checkpoint.loadNetwork(
                            folder.checkpointFile(),
                            ModelSpec.MODEL,
                            ModelSpec.NETWORK,
                            network,
                            true);
            return new DiffusionRun(
                    folder, m, shape, classes, Denoiser.of(network, prediction), schedule, cp);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public ConditionalSource conditionalSampler() {
        if (numClasses == 0) {
            return null;
        }
        Denoiser guided = new ClassifierFreeGuidance(raw, numClasses, GUIDANCE);
        Sampler ddim = DdimSampler.builder().setSchedule(schedule).optSteps(50).optEta(0f).build();
        return new ConditionalSource() {
            @Override
            public String label() {
                return "DDIM-50, guidance " + GUIDANCE;
            }

            @Override
            public int numClasses() {
                return numClasses;
            }

            @Override
            public NDArray sample(NDManager m, NDArray labels) {
                return ddim.sample(
                                guided,
                                m,
                                new ai.djl.ndarray.types.Shape(labels.size()).addAll(sampleShape),
                                labels)
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
        return SampleSources.ddim(schedule, 50, denoiser, sampleShape);
    }

    @Override
    public List<SampleSource> speedSamplers() {
        return SampleSources.diffusionSpeeds(schedule, denoiser, sampleShape);
    }

    @Override
    public void close() {
        manager.close();
    }
}
