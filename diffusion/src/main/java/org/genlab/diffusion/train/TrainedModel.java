package org.genlab.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Locale;
import org.genlab.autoencoder.LatentSpace;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.latent.LatentDiffusion;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;

/**
 * A trained built-in model opened from its run folder for sampling: the network with its EMA (or
 * raw) weights, what it predicts, the samplers that fit it, and — for a latent run — the
 * autoencoder that turns its samples into images. {@code genlab sample diffusion}, {@code inpaint}
 * and {@code compare} all open runs through it, so pixel and latent, DDPM and flow runs behave the
 * same everywhere.
 *
 * <pre>{@code
 * try (TrainedModel model = TrainedModel.open(RunFolder.open(dir), manager, true)) {
 *     Sampler s = model.sampler(model.defaultSampler(), 50, 0f);
 *     NDArray x = model.decode(s.sample(model.denoiser(), manager, model.batchShape(16), null));
 * }
 * }</pre>
 */
public final class TrainedModel implements AutoCloseable {

    private final ModelSpec spec;
    private final Block network;
    private final Checkpoint checkpoint;
    private final LatentSpace latent;

    private TrainedModel(ModelSpec spec, Block network, Checkpoint cp, LatentSpace latent) {
        this.spec = spec;
        this.network = network;
        this.checkpoint = cp;
        this.latent = latent;
    }

    /**
     * Rebuilds the run's network and loads its weights (and its autoencoder for a latent run).
     *
     * @param folder the run
     * @param manager where the network lives
     * @param ema whether to load the EMA weights (when the run kept them)
     * @return the model; close it to release the autoencoder
     * @throws GenLabException (one line) for a custom network or schedule, a missing checkpoint or
     *     autoencoder
     */
    public static TrainedModel open(RunFolder folder, NDManager manager, boolean ema) {
        // a custom denoiser or schedule: one line on sampling it from code
        ModelSpec spec = ModelSpec.fromConfig(folder.config());
        Block block =
                spec.hasContext()
                        ? spec.build(manager, TextEncoders.forRun(folder, manager), false)
                        : spec.build(manager);
        Checkpoint cp =
                Checkpoint.loadNetwork(
                        folder.checkpointFile(), ModelSpec.MODEL, ModelSpec.NETWORK, block, ema);
        LatentSpace latent = LatentDiffusion.open(folder.config(), manager.getDevice());
        if (latent != null && !latent.latentShape().equals(spec.sampleShape())) {
            Shape z = latent.latentShape();
            latent.close();
            throw new GenLabException(
                    "The autoencoder's latents are "
                            + z
                            + " but this run's model works on "
                            + spec.sampleShape()
                            + ".");
        }
        return new TrainedModel(spec, block, cp, latent);
    }

    /**
     * Returns the model's description.
     *
     * @return the spec
     */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * Returns the network.
     *
     * @return the block
     */
    public Block network() {
        return network;
    }

    /**
     * Returns the network as a denoiser (ε, v or flow velocity).
     *
     * @return the denoiser
     */
    public Denoiser denoiser() {
        return spec.denoiser(network);
    }

    /**
     * Returns the checkpoint's summary (step, loss history).
     *
     * @return the checkpoint
     */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * Tells whether the model reads a caption (token ids (B, L)) instead of a class label.
     *
     * @return true for a text-conditional model
     */
    public boolean isTextConditional() {
        return spec.isTextConditional();
    }

    /**
     * Tells whether the model reads a float condition vector (B, D), e.g. an unCLIP decoder's CLIP
     * image embedding.
     *
     * @return true for an embedding-conditional model
     */
    public boolean isEmbeddingConditional() {
        return spec.isEmbeddingConditional();
    }

    /**
     * Tells whether the model works in an autoencoder's latent space.
     *
     * @return true for latent diffusion
     */
    public boolean isLatent() {
        return latent != null;
    }

    /**
     * Returns the autoencoder of a latent run.
     *
     * @return the latent space, or {@code null}
     */
    public LatentSpace latentSpace() {
        return latent;
    }

    /**
     * Tells whether the model is a flow-matching model.
     *
     * @return true when it predicts the flow velocity
     */
    public boolean isFlow() {
        return spec.prediction() == Prediction.FLOW;
    }

    /**
     * The shape of one sample the model draws (a latent for a latent run).
     *
     * @return (C, H, W), (c, h, w) or (D)
     */
    public Shape sampleShape() {
        return spec.sampleShape();
    }

    /**
     * The shape of one decoded image.
     *
     * @return (C, H, W)
     */
    public Shape imageShape() {
        return latent != null ? latent.imageShape() : spec.sampleShape();
    }

    /**
     * The shape of a batch of model samples.
     *
     * @param n the batch size
     * @return (n, …)
     */
    public Shape batchShape(int n) {
        return new Shape(n).addAll(sampleShape());
    }

    /**
     * Turns model samples into images: decoded by the autoencoder for a latent run, clipped to [−1,
     * 1].
     *
     * @param x samples (B, …)
     * @return images (B, C, H, W)
     */
    public NDArray decode(NDArray x) {
        return latent != null ? latent.decode(x) : x.clip(-1f, 1f);
    }

    /**
     * Turns images into the model's space (encoded for a latent run).
     *
     * @param images (B, C, H, W) in [−1, 1]
     * @return the model's samples
     */
    public NDArray encode(NDArray images) {
        return latent != null ? latent.encode(images) : images;
    }

    /**
     * The sampler the model is usually drawn with: {@code ddim} for DDPM-trained models, {@code
     * euler} for flow matching.
     *
     * @return the name
     */
    public String defaultSampler() {
        return isFlow() ? "euler" : "ddim";
    }

    /**
     * Builds a sampler by name, checked against the model: {@code ddpm} (all T steps) and {@code
     * ddim} for ε/v models, {@code euler} and {@code heun} for flow models.
     *
     * @param name ddpm, ddim, euler or heun
     * @param steps the steps (not used by ddpm)
     * @param eta DDIM's η
     * @return the sampler
     */
    public Sampler sampler(String name, int steps, float eta) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean flowSampler = n.equals("euler") || n.equals("heun");
        if (!flowSampler && !n.equals("ddpm") && !n.equals("ddim")) {
            throw new GenLabException(
                    "Unknown sampler '"
                            + name
                            + "': use ddpm or ddim (DDPM runs), euler or heun"
                            + " (flow runs).");
        }
        if (flowSampler != isFlow()) {
            throw new GenLabException(
                    isFlow()
                            ? "This run is a flow-matching model: sample it with euler or heun,"
                                    + " not "
                                    + n
                                    + "."
                            : "This run is a DDPM-trained model: sample it with ddpm or ddim, not "
                                    + n
                                    + ".");
        }
        switch (n) {
            case "ddpm":
                return DdpmSampler.builder().setSchedule(spec.noiseSchedule()).build();
            case "ddim":
                return DdimSampler.builder()
                        .setSchedule(spec.noiseSchedule())
                        .optSteps(steps)
                        .optEta(eta)
                        .build();
            default:
                return FlowSampler.builder()
                        .optSteps(steps)
                        .optMethod(
                                n.equals("heun")
                                        ? FlowSampler.Method.HEUN
                                        : FlowSampler.Method.EULER)
                        .build();
        }
    }

    /** Releases the autoencoder (the network lives in the caller's manager). */
    @Override
    public void close() {
        if (latent != null) {
            latent.close();
        }
    }
}
