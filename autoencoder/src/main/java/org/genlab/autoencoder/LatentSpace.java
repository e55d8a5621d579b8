package org.genlab.autoencoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.train.RunFolder;

/**
 * A trained autoencoder loaded from its run folder: images ↔ scaled latents. This is what latent
 * diffusion (Rombach et al. 2022) trains its diffusion model in: encode the data set once, train on
 * z = s · μ(x), and decode samples with x̂ = D(z / s), where s = {@code latent.scale} ({@link
 * LatentScale}) gives the latents unit variance.
 *
 * <pre>{@code
 * try (LatentSpace ls = LatentSpace.load(Path.of("runs/ae"), Device.cpu())) {
 *     NDArray z = ls.encode(images);        // (B, 1, 28, 28) → (B, 4, 7, 7), ≈ unit variance
 *     NDArray x = ls.decode(z);             // back to (B, 1, 28, 28) in [-1, 1]
 * }
 * }</pre>
 *
 * It uses the EMA weights when the checkpoint has them. Nothing it computes records a gradient.
 */
public final class LatentSpace implements AutoCloseable {

    /** The most images (or latents) passed through the network at once. */
    private static final int CHUNK = 256;

    private final Path runDir;
    private final NDManager manager;
    private final Autoencoder model;
    private final ParameterStore ps;
    private final float scale;
    private final String dataset;

    private LatentSpace(
            Path runDir, NDManager manager, Autoencoder model, float scale, String dataset) {
        this.runDir = runDir;
        this.manager = manager;
        this.model = model;
        this.ps = new ParameterStore(manager, false);
        this.scale = scale;
        this.dataset = dataset;
    }

    /**
     * Loads the run written by {@code genlab train autoencoder} (or by an {@code
     * AutoencoderTrainer} followed by {@code recordLatentScale}): its {@code config.properties} and
     * its checkpoint, with the EMA weights when it has them.
     *
     * @param runDir the run folder
     * @param device where to run the autoencoder
     * @return the latent space; close it
     * @throws GenLabException (one line) when the folder is missing, is not an autoencoder run, has
     *     no checkpoint or no {@code latent.scale}
     */
    public static LatentSpace load(Path runDir, Device device) {
        if (runDir == null || !Files.isDirectory(runDir)) {
            throw new GenLabException(
                    "No autoencoder run at "
                            + runDir
                            + ". Train one with `genlab train autoencoder --run "
                            + runDir
                            + "`.");
        }
        RunFolder folder = RunFolder.open(runDir);
        Map<String, String> config = folder.config();
        if (!Autoencoder.isAutoencoder(config)) {
            throw new GenLabException(
                    runDir
                            + " is not an autoencoder run (its config.properties has no"
                            + " autoencoder.* settings). Point at a folder written by `genlab train"
                            + " autoencoder`.");
        }
        if (!folder.hasCheckpoint()) {
            throw new GenLabException(
                    "The autoencoder run "
                            + runDir
                            + " has no checkpoint.zip: train it first (`genlab train autoencoder"
                            + " --run "
                            + runDir
                            + "`).");
        }
        float scale;
        try {
            scale = Float.parseFloat(config.getOrDefault(LatentScale.KEY, ""));
        } catch (NumberFormatException e) {
            throw new GenLabException(
                    "The autoencoder run "
                            + runDir
                            + " records no latent.scale (its training did not finish): run `genlab"
                            + " train autoencoder --run "
                            + runDir
                            + " --resume` with the same settings to finish it.",
                    e);
        }
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new GenLabException(
                    "The autoencoder run " + runDir + " records an invalid latent.scale " + scale);
        }
        NDManager manager = NDManager.newBaseManager(device);
        try (NoGrad scope = NoGrad.enter()) {
            Autoencoder model = Autoencoder.fromConfig(config);
            model.initialize(manager);
            Checkpoint.loadNetwork(
                    folder.checkpointFile(), Autoencoder.MODEL, Autoencoder.NETWORK, model, true);
            return new LatentSpace(
                    runDir, manager, model, scale, config.getOrDefault("dataset", "unknown"));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the shape of one image.
     *
     * @return (C, H, W), e.g. (1, 28, 28)
     */
    public Shape imageShape() {
        return model.imageShape();
    }

    /**
     * Returns the shape of one latent.
     *
     * @return (c, h, w), e.g. (4, 7, 7)
     */
    public Shape latentShape() {
        return model.latentShape();
    }

    /**
     * Returns the scale factor s = 1 / std(μ) recorded by the run ({@code latent.scale}).
     *
     * @return s
     */
    public float scale() {
        return scale;
    }

    /**
     * Returns the data set the autoencoder was trained on.
     *
     * @return e.g. {@code mnist} ({@code unknown} when the run did not record it)
     */
    public String dataset() {
        return dataset;
    }

    /**
     * Returns the run folder.
     *
     * @return the folder
     */
    public Path runDir() {
        return runDir;
    }

    /**
     * Returns the autoencoder (with the loaded weights), for code that needs more than encode and
     * decode.
     *
     * @return the network
     */
    public Autoencoder model() {
        return model;
    }

    /**
     * Encodes images to scaled latents z = s · μ(x), without gradient, in chunks of at most 256.
     *
     * @param images (B, C, H, W) in [-1, 1], on any device
     * @return (B, c, h, w), in the images' manager and on their device
     * @throws GenLabException (one line) when the images do not have this autoencoder's shape
     */
    public NDArray encode(NDArray images) {
        check(images, imageShape(), "encode", "images");
        // z = s · μ
        return chunked(images, latentShape(), (p, x) -> model.encode(p, x).mul(scale));
    }

    /**
     * Decodes scaled latents to images x̂ = D(z / s), clipped to [-1, 1], without gradient, in
     * chunks of at most 256.
     *
     * @param latents (B, c, h, w) scaled latents, on any device
     * @return (B, C, H, W) in [-1, 1], in the latents' manager and on their device
     * @throws GenLabException (one line) when the latents do not have this autoencoder's shape
     */
    public NDArray decode(NDArray latents) {
        check(latents, latentShape(), "decode", "latents");
        // x̂ = D(z / s)
        return chunked(
                latents,
                imageShape(),
                (p, z) -> model.decode(p, z.div(scale), false).clip(-1f, 1f));
    }

    private NDArray chunked(
            NDArray in, Shape itemOut, BiFunction<ParameterStore, NDArray, NDArray> f) {
        NDManager target = in.getManager();
        long n = in.getShape().get(0);
        if (n == 0) {
            return target.zeros(new Shape(0).addAll(itemOut), in.getDataType(), in.getDevice());
        }
        NDList parts = new NDList();
        try (NoGrad scope = NoGrad.enter()) {
            for (long from = 0; from < n; from += CHUNK) {
                long to = Math.min(n, from + CHUNK);
                try (NDManager sub = manager.newSubManager()) {
                    // slices and intermediates are freed with sub; only the result is kept
                    sub.tempAttachAll(in);
                    NDArray x =
                            in.get(new NDIndex("{}:{}", from, to)).toDevice(sub.getDevice(), false);
                    NDArray y = f.apply(ps, x).toDevice(in.getDevice(), false);
                    y.attach(target);
                    parts.add(y);
                }
            }
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray all = NDArrays.concat(parts);
        parts.close();
        return all;
    }

    private static void check(NDArray a, Shape item, String method, String what) {
        Shape s = a.getShape();
        if (s.dimension() != 4 || !Arrays.equals(s.slice(1).getShape(), item.getShape())) {
            throw new GenLabException(
                    "LatentSpace."
                            + method
                            + " takes (B, "
                            + item.toString().replaceAll("[()]", "")
                            + ") "
                            + what
                            + ", got "
                            + s
                            + ".");
        }
    }

    /** Frees the autoencoder's weights. */
    @Override
    public void close() {
        manager.close();
    }
}
