package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.train.RunFolder;

/**
 * The prior of unCLIP (Ramesh et al., <i>Hierarchical Text-Conditional Image Generation with CLIP
 * Latents</i>, 2022, §2.2): from a caption y, through its CLIP text embedding z_t, to a CLIP image
 * embedding z_i that a decoder then turns into an image. unCLIP factorises the image distribution
 * as
 *
 * <pre>
 *   p(x | y) = p(x, z_i | y) = p(x | z_i, y) · p(z_i | y)       (z_i is a function of x)
 *              decoder        prior
 * </pre>
 *
 * A prior maps (B, D) unit text embeddings to (B, D) unit image embeddings. Two kinds: {@link
 * RegressionPrior} predicts one z_i per caption, {@link DiffusionPrior} draws z_i from a learned
 * distribution, so one caption gives many different embeddings — the lecture's comparison.
 *
 * <pre>{@code
 * Prior prior = Prior.open(Path.of("runs/prior"), manager);
 * NDArray zText = ...;                             // (B, D) CLIP text embeddings
 * NDArray zImage = prior.sample(zText, 42);        // (B, D) unit vectors
 * }</pre>
 */
public interface Prior {

    /** The model name in checkpoints and in {@code config.properties}. */
    String MODEL = "prior";

    /** The network's name in checkpoints. */
    String NETWORK = "prior";

    /**
     * Returns what kind of prior this is.
     *
     * @return {@code regression} or {@code diffusion}
     */
    String kind();

    /**
     * Returns D, the CLIP embedding size.
     *
     * @return D
     */
    int dim();

    /**
     * Maps caption embeddings to image embeddings (without gradients).
     *
     * @param textEmbeddings z_t, (B, D) unit vectors
     * @param seed the seed of the sampling noise (a regression prior ignores it)
     * @return z_i, (B, D) unit vectors in {@code textEmbeddings}' manager
     */
    NDArray sample(NDArray textEmbeddings, long seed);

    /**
     * The training loss of one batch (call inside a gradient collector to train).
     *
     * @param ps the parameter store
     * @param imageEmbeddings the targets z_i, (B, D) unit vectors
     * @param textEmbeddings the conditions z_t, (B, D) unit vectors
     * @return a scalar
     */
    NDArray loss(ParameterStore ps, NDArray imageEmbeddings, NDArray textEmbeddings);

    /**
     * Returns the trained network f.
     *
     * @return the network
     */
    PriorNetwork network();

    /**
     * Describes the prior for a run's {@code config.properties}: {@code prior.kind}, {@code
     * prior.dim}, {@code prior.width}, {@code prior.depth} and the kind's own settings.
     *
     * @return key to value
     */
    Map<String, String> toConfig();

    /**
     * Rebuilds a trained prior from its run folder (written by {@link PriorTrainer}, e.g. with
     * {@code genlab train prior}), with the EMA weights when the checkpoint has them.
     *
     * @param run the run folder
     * @param manager where the weights go
     * @return the prior
     * @throws GenLabException when the folder is not a trained prior
     */
    static Prior open(Path run, NDManager manager) {
        Map<String, String> config = config(run);
        Prior prior =
                switch (config.getOrDefault("prior.kind", "")) {
                    case RegressionPrior.KIND -> RegressionPrior.fromConfig(config, manager);
                    case DiffusionPrior.KIND -> DiffusionPrior.fromConfig(config, manager);
                    default ->
                            throw new GenLabException(
                                    run
                                            + " records prior.kind="
                                            + config.get("prior.kind")
                                            + ": expected regression or diffusion.");
                };
        try (NoGrad scope = NoGrad.enter()) {
            Checkpoint.loadNetwork(
                    RunFolder.open(run).checkpointFile(), MODEL, NETWORK, prior.network(), true);
        }
        return prior;
    }

    /**
     * Returns the CLIP run whose embeddings a prior run was trained on (its {@code clipRun}
     * setting): encode prompts with that model before {@link #sample}.
     *
     * @param run the prior's run folder
     * @return the CLIP run folder
     */
    static Path clipRun(Path run) {
        String clip = config(run).get("clipRun");
        if (clip == null || clip.isBlank()) {
            throw new GenLabException(
                    "The prior run " + run + " records no clipRun: train it with --clip.");
        }
        return Path.of(clip);
    }

    private static Map<String, String> config(Path run) {
        if (run == null || !Files.isDirectory(run)) {
            throw new GenLabException(
                    "No prior run at " + run + ": train one with genlab train prior.");
        }
        RunFolder folder = RunFolder.open(run);
        Map<String, String> config = folder.config();
        if (!MODEL.equals(config.get("model"))) {
            throw new GenLabException(
                    run
                            + " is not a prior run (its config.properties says model="
                            + config.get("model")
                            + "): point at a folder written by genlab train prior.");
        }
        if (!folder.hasCheckpoint()) {
            throw new GenLabException(
                    "The prior run " + run + " has no checkpoint.zip: train it first.");
        }
        return config;
    }
}
