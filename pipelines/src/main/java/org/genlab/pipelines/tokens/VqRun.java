package org.genlab.pipelines.tokens;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.autoencoder.bottleneck.VqBottleneck;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.train.RunFolder;

/**
 * A trained VQ autoencoder (van den Oord et al., "Neural Discrete Representation Learning", 2017)
 * loaded from its run folder: the tokenizer of images that an image-token transformer models. Its
 * encoder turns an image into an h×w grid of codes in [0, K), its decoder turns a grid back into
 * pixels.
 *
 * @param dir the run folder (absolute)
 * @param model the autoencoder with its trained (EMA, when recorded) weights
 * @param dataset the data set it was trained on ({@code unknown} when not recorded)
 */
public record VqRun(Path dir, Autoencoder model, String dataset) {

    /**
     * Loads a run written by {@code genlab train autoencoder --bottleneck vq}.
     *
     * @param dir the run folder
     * @param manager where the weights go
     * @return the run
     * @throws GenLabException (one line) when the folder is missing, not an autoencoder run, not
     *     vector-quantised, or not trained
     */
    public static VqRun load(Path dir, NDManager manager) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new GenLabException(
                    "No autoencoder run at "
                            + dir
                            + ": train a VQ one with `genlab train autoencoder --bottleneck vq --run "
                            + dir
                            + "`.");
        }
        RunFolder folder = RunFolder.open(dir);
        Map<String, String> config = folder.config();
        if (!Autoencoder.isAutoencoder(config)) {
            throw new GenLabException(
                    dir
                            + " is not an autoencoder run (no autoencoder.* settings): give a folder"
                            + " written by `genlab train autoencoder --bottleneck vq`.");
        }
        String kind = config.get("autoencoder.bottleneck");
        if (!VqBottleneck.KIND.equals(kind)) {
            throw new GenLabException(
                    "The autoencoder in "
                            + dir
                            + " has a "
                            + kind
                            + " bottleneck, not vq: an image-token model needs discrete codes."
                            + " Train one with `genlab train autoencoder --bottleneck vq`.");
        }
        if (!folder.hasCheckpoint()) {
            throw new GenLabException(
                    "The autoencoder run " + dir + " has no checkpoint.zip: train it first.");
        }
        try (NoGrad scope = NoGrad.enter()) {
            Autoencoder model = Autoencoder.fromConfig(config).initialize(manager);
            Checkpoint.loadNetwork(
                    folder.checkpointFile(), Autoencoder.MODEL, Autoencoder.NETWORK, model, true);
            return new VqRun(
                    dir.toAbsolutePath().normalize(),
                    model,
                    config.getOrDefault("dataset", "unknown"));
        }
    }

    /**
     * Returns K, the codebook size.
     *
     * @return K
     */
    public int codes() {
        return ((VqBottleneck) model.bottleneck()).codes();
    }

    /**
     * Returns N = h·w, the number of tokens of one image.
     *
     * @return N
     */
    public int tokensPerImage() {
        return (int) (model.latentShape().get(1) * model.latentShape().get(2));
    }
}
