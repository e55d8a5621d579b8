package org.genlab.eval.compare;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;

/**
 * A trained run opened for comparison: what it is, how it trained, and how to sample from it.
 * {@link #open(Path, Device)} recognises GAN, diffusion and autoregressive run folders by their
 * configuration.
 */
public interface ModelRun extends AutoCloseable {

    /**
     * Opens a run folder written by {@code genlab train gan} or {@code genlab train diffusion}.
     *
     * @param dir the run folder
     * @param device where to load the networks
     * @return the run
     * @throws GenLabException if the folder is incomplete or of an unknown kind
     */
    static ModelRun open(Path dir, Device device) {
        RunFolder folder = RunFolder.open(dir);
        if (!folder.hasCheckpoint()) {
            throw new GenLabException(
                    "Run " + dir + " is incomplete: it has no checkpoint.zip. Train it first.");
        }
        Map<String, String> config = folder.config();
        if (config.containsKey("schedule") && config.containsKey("network")) {
            return DiffusionRun.open(folder, device);
        }
        if (config.containsKey("gan.model")) {
            return GanRun.open(folder, device);
        }
        if (config.containsKey("transformer.codes")) {
            return TokenModelRun.open(folder, device);
        }
        throw new GenLabException(
                "Run "
                        + dir
                        + " is not a GAN, diffusion or autoregressive run (its config.properties"
                        + " names no model GenLab knows).");
    }

    /**
     * Opens the run of a GAN whose generator you wrote (its run folder says {@code
     * gan.model=custom}), so that {@link Comparison} can measure it beside GenLab's models.
     *
     * <pre>{@code
     * ModelRun mine = ModelRun.gan(Path.of("runs/my-gan"), MyGenerator.create(64), device);
     * Comparison.builder().addRun(mine).addRun(Path.of("runs/dcgan")).setOutput(out).build().run();
     * }</pre>
     *
     * @param dir the run folder
     * @param generator a generator built as for training (initialised here if it is not)
     * @param device where to sample
     * @return the run; the comparison closes it
     */
    static ModelRun gan(Path dir, org.genlab.gan.nn.Generator generator, Device device) {
        return GanRun.custom(openTrained(dir), generator, device);
    }

    /**
     * Opens the run of a diffusion model whose denoiser you wrote (its run folder says {@code
     * network=custom}).
     *
     * @param dir the run folder
     * @param denoiser the network, built and initialised as for training
     * @param schedule the schedule it was trained with
     * @param device where to sample
     * @return the run; the comparison closes it
     */
    static ModelRun diffusion(
            Path dir,
            ai.djl.nn.Block denoiser,
            org.genlab.diffusion.schedule.NoiseSchedule schedule,
            Device device) {
        return DiffusionRun.custom(openTrained(dir), denoiser, schedule, device);
    }

    private static RunFolder openTrained(Path dir) {
        RunFolder folder = RunFolder.open(dir);
        if (!folder.hasCheckpoint()) {
            throw new GenLabException(
                    "Run " + dir + " is incomplete: it has no checkpoint.zip. Train it first.");
        }
        if (!folder.config().containsKey("dataset")) {
            throw new GenLabException(
                    "Run "
                            + dir
                            + " does not record its data set, which compare measures against:"
                            + " train it with TrainingLoop.builder()...optConfig(Map.of(\"dataset\","
                            + " \"mnist\")).");
        }
        return folder;
    }

    /**
     * Names the run, e.g. its folder name.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the model family.
     *
     * @return {@code GAN}, {@code Diffusion} or {@code Autoregressive}
     */
    String family();

    /**
     * Returns the data set the run trained on.
     *
     * @return e.g. {@code mnist}
     */
    String dataset();

    /**
     * Returns the run folder.
     *
     * @return the folder
     */
    RunFolder folder();

    /**
     * Returns the steps trained.
     *
     * @return the checkpoint's step
     */
    long steps();

    /**
     * Returns the losses logged while training.
     *
     * @return the history
     */
    LossHistory history();

    /**
     * Returns the sampler whose samples are measured for quality (the GAN's generator; DDIM-50 for
     * diffusion, which is close to DDPM's quality at a twentieth of the cost).
     *
     * @return the sampler
     */
    SampleSource qualitySampler();

    /**
     * Returns every sampler whose speed is measured.
     *
     * @return the samplers
     */
    List<SampleSource> speedSamplers();

    /**
     * Returns the sampler that takes a requested class, or {@code null} for an unconditional model.
     *
     * @return the conditional sampler, or null
     */
    default ConditionalSource conditionalSampler() {
        return null;
    }

    /**
     * Returns the model as a text-to-image drawer, or {@code null} when it does not read captions.
     *
     * @return the prompt drawer, or null
     */
    default org.genlab.eval.prompt.PromptDrawer promptDrawer() {
        return null;
    }

    /**
     * Returns an autoregressive model's likelihood: its training loss in bits per image token (0
     * for models that give none).
     *
     * @return bits per token, or 0
     */
    default double bitsPerToken() {
        return 0;
    }

    @Override
    void close();
}
