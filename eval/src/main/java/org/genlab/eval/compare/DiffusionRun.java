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
import org.genlab.diffusion.train.TrainedModel;

/**
 * A diffusion run: one denoiser (EMA weights when the run kept them), sampled three ways — DDPM
 * with all T steps, DDIM with 50 and with 10 steps (η = 0) — or, for a flow-matching run, Euler
 * with 50 and 10 steps and Heun with 10. Quality is measured with DDIM-50 (Euler-50 for flow). A
 * latent run's samples are decoded by its autoencoder, and the decoding is part of the time
 * measured.
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
    private final TrainedModel model;

    private DiffusionRun(
            RunFolder folder,
            NDManager manager,
            ai.djl.ndarray.types.Shape sampleShape,
            int numClasses,
            Denoiser denoiser,
            NoiseSchedule schedule,
            Checkpoint cp,
            TrainedModel model) {
        this.model = model;
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

    /**
     * Returns the opened model when it reads captions, for prompt accuracy.
     *
     * @return the model, or {@code null}
     */
    TrainedModel textModel() {
        return model != null && model.isTextConditional() ? model : null;
    }

    @Override
    public org.genlab.eval.prompt.PromptDrawer promptDrawer() {
        TrainedModel t = textModel();
        return t == null
                ? null
                : new org.genlab.eval.prompt.DiffusionPrompts(t, folder.config(), GUIDANCE, 50);
    }

    static DiffusionRun open(RunFolder folder, Device device) {
        NDManager m = NDManager.newBaseManager(device);
        try {
            // a custom denoiser or schedule: one line on sampling it from code (GenLabException)
            TrainedModel model = TrainedModel.open(folder, m, true);
            return new DiffusionRun(
                    folder,
                    m,
                    model.sampleShape(),
                    model.spec().numClasses(),
                    model.denoiser(),
                    model.isFlow() ? null : model.spec().noiseSchedule(),
                    model.checkpoint(),
                    model);
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
                    folder,
                    m,
                    shape,
                    classes,
                    Denoiser.of(network, prediction),
                    schedule,
                    cp,
                    null);
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
        Sampler ddim = sampler(flow() ? "euler" : "ddim", 50);
        return new ConditionalSource() {
            @Override
            public String label() {
                return (flow() ? "Euler-50" : "DDIM-50") + ", guidance " + GUIDANCE;
            }

            @Override
            public int numClasses() {
                return numClasses;
            }

            @Override
            public NDArray sample(NDManager m, NDArray labels) {
                return decode(
                        ddim.sample(
                                guided,
                                m,
                                new ai.djl.ndarray.types.Shape(labels.size()).addAll(sampleShape),
                                labels));
            }
        };
    }

    @Override
    public String name() {
        return folder.dir().getFileName().toString();
    }

    @Override
    public String family() {
        if (model == null) {
            return "Diffusion";
        }
        if (model.isLatent()) {
            return model.isFlow() ? "Latent flow matching" : "Latent diffusion";
        }
        return model.isFlow() ? "Flow matching" : "Diffusion";
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
        return flow()
                ? source("Euler-50", sampler("euler", 50))
                : source("DDIM-50", sampler("ddim", 50));
    }

    @Override
    public List<SampleSource> speedSamplers() {
        if (flow()) {
            return List.of(
                    source("Euler-50", sampler("euler", 50)),
                    source("Euler-10", sampler("euler", 10)),
                    source("Heun-10", sampler("heun", 10)));
        }
        if (model == null || !model.isLatent()) {
            return SampleSources.diffusionSpeeds(schedule, denoiser, sampleShape);
        }
        return List.of(
                source("DDPM-" + schedule.steps(), sampler("ddpm", 0)),
                source("DDIM-50", sampler("ddim", 50)),
                source("DDIM-10", sampler("ddim", 10)));
    }

    private boolean flow() {
        return model != null && model.isFlow();
    }

    private Sampler sampler(String name, int steps) {
        if (model != null) {
            return model.sampler(name, steps, 0f);
        }
        return DdimSampler.builder().setSchedule(schedule).optSteps(steps).optEta(0f).build();
    }

    private NDArray decode(NDArray x) {
        return model != null ? model.decode(x) : x.clip(-1, 1);
    }

    /** Samples unconditionally and decodes (a latent run's decoding is timed with it). */
    private SampleSource source(String label, Sampler sampler) {
        return new SampleSource() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public NDArray sample(NDManager m, int n) {
                return decode(
                        sampler.sample(
                                denoiser,
                                m,
                                new ai.djl.ndarray.types.Shape(n).addAll(sampleShape),
                                null));
            }
        };
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
        manager.close();
    }
}
