package org.genlab.diffusion.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.MlpDenoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.nn.UNet;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * A built-in diffusion model: everything needed to rebuild it from a run folder's {@code
 * config.properties} — the network (UNet preset or 2D MLP), the data shape, the classes, the
 * schedule and the prediction type. {@code genlab train diffusion} trains these, {@code genlab
 * sample diffusion}, {@code inpaint} and {@code compare} rebuild them:
 *
 * <pre>{@code
 * ModelSpec spec = new ModelSpec("unet", "cpu", 1, 28, 28, 10, "cosine", 1000, Prediction.V);
 * Block unet = spec.build(manager);
 * DiffusionTrainer.builder().setModel(spec, unet)...   // shape, classes, schedule from the spec
 * }</pre>
 *
 * <p>A network of your own needs no spec: give it to {@link DiffusionTrainer.Builder#setDenoiser}.
 * Its run folder then says {@code network=custom} and names the class, and {@link #fromConfig}
 * refuses it with a line saying how to sample it from code.
 *
 * @param network {@code unet} or {@code mlp}
 * @param preset {@code cpu}, {@code gpu} or {@code latent} (UNet)
 * @param channels C (or the point dimension D for the MLP)
 * @param height H (1 for the MLP)
 * @param width W (1 for the MLP)
 * @param numClasses K, or 0 for unconditional
 * @param schedule {@code linear} or {@code cosine} (what {@link NoiseSchedule#byName} knows), or
 *     {@code flow} for a flow-matching model
 * @param steps T (1000, the network's time scale, for flow matching)
 * @param prediction ε, v or the flow velocity
 * @param contextLength L, the caption length of a text-conditional UNet, or D, the length of the
 *     condition vector of an embedding-conditional one (0: none)
 * @param embeddingContext true when the context is a float vector (B, D), e.g. the CLIP image
 *     embedding of an unCLIP decoder (Ramesh et al. 2022), instead of token ids (B, L)
 */
public record ModelSpec(
        String network,
        String preset,
        int channels,
        int height,
        int width,
        int numClasses,
        String schedule,
        int steps,
        Prediction prediction,
        int contextLength,
        boolean embeddingContext) {

    /**
     * A spec without a condition vector (unconditional, class- or text-conditional).
     *
     * @param network {@code unet} or {@code mlp}
     * @param preset {@code cpu}, {@code gpu} or {@code latent}
     * @param channels C
     * @param height H
     * @param width W
     * @param numClasses K, or 0
     * @param schedule the schedule's name
     * @param steps T
     * @param prediction ε, v or the flow velocity
     * @param contextLength L, the caption length (0: no text)
     */
    public ModelSpec(
            String network,
            String preset,
            int channels,
            int height,
            int width,
            int numClasses,
            String schedule,
            int steps,
            Prediction prediction,
            int contextLength) {
        this(
                network,
                preset,
                channels,
                height,
                width,
                numClasses,
                schedule,
                steps,
                prediction,
                contextLength,
                false);
    }

    /**
     * A spec without text (class-conditional or unconditional).
     *
     * @param network {@code unet} or {@code mlp}
     * @param preset {@code cpu}, {@code gpu} or {@code latent}
     * @param channels C
     * @param height H
     * @param width W
     * @param numClasses K, or 0
     * @param schedule the schedule's name
     * @param steps T
     * @param prediction ε, v or the flow velocity
     */
    public ModelSpec(
            String network,
            String preset,
            int channels,
            int height,
            int width,
            int numClasses,
            String schedule,
            int steps,
            Prediction prediction) {
        this(
                network,
                preset,
                channels,
                height,
                width,
                numClasses,
                schedule,
                steps,
                prediction,
                0,
                false);
    }

    /** The model name written into checkpoints ({@link DiffusionTrainer#MODEL}). */
    public static final String MODEL = DiffusionTrainer.MODEL;

    /** The network's name inside checkpoints ({@link DiffusionTrainer#NETWORK}). */
    public static final String NETWORK = DiffusionTrainer.NETWORK;

    /** The config key saying what the context is ({@value #EMBEDDING}; absent: token ids). */
    public static final String CONTEXT_KEY = "context";

    /** The {@link #CONTEXT_KEY} value of a model conditioned on a float vector. */
    public static final String EMBEDDING = "embedding";

    /** The {@code network} of a run folder whose denoiser is not built in. */
    public static final String CUSTOM = "custom";

    /**
     * Builds and initialises the network.
     *
     * @param manager where its parameters live
     * @return the network
     */
    public Block build(NDManager manager) {
        if (contextLength > 0) {
            throw new GenLabException(
                    "This model reads captions: build it with build(manager, textEncoder,"
                            + " trainable), giving it the text encoder (TextToImage in the"
                            + " pipelines module does this).");
        }
        return build(manager, null, false);
    }

    /**
     * Builds and initialises a text-conditional network ({@link #contextLength()} &gt; 0) around a
     * text encoder (see {@link UNet.Builder#optTextEncoder}), or an embedding-conditional one
     * around its embedding encoder ({@link UNet.Builder#optEmbeddingEncoder}); for any other spec
     * the encoder is ignored.
     *
     * @param manager where its parameters live
     * @param textEncoder token ids (B, L) (or a vector (B, D)) → (tokens, mask, pooled)
     * @param trainable true to train the encoder with the denoiser, false to freeze it
     * @return the network
     */
    public Block build(NDManager manager, Block textEncoder, boolean trainable) {
        if (contextLength > 0 && (textEncoder == null || !"unet".equals(network))) {
            throw new GenLabException(
                    "A text-conditional model is a UNet with a text encoder; got network '"
                            + network
                            + "' and "
                            + (textEncoder == null ? "no encoder" : "an encoder")
                            + ".");
        }
        if (!"mlp".equals(network) && !"unet".equals(network)) {
            throw new GenLabException(
                    "Unknown network '" + network + "': GenLab builds unet and mlp.");
        }
        if ("mlp".equals(network)) {
            MlpDenoiser mlp = new MlpDenoiser(channels, 128, 3, 32);
            mlp.initialize(manager);
            return mlp;
        }
        UNet.Builder b;
        switch (preset) {
            case "cpu":
                b = UNet.cpu(channels, numClasses);
                break;
            case "gpu":
                b = UNet.gpu(channels, numClasses);
                if (height % 8 != 0) {
                    b.optChannelMultipliers(1, 2, 2);
                }
                break;
            case "latent":
                b = UNet.latent(channels, numClasses);
                break;
            default:
                throw new GenLabException(
                        "Unknown preset '" + preset + "': use cpu, gpu or latent.");
        }
        if (contextLength > 0 && embeddingContext) {
            b.optEmbeddingEncoder(textEncoder, contextLength, trainable);
        } else if (contextLength > 0) {
            b.optTextEncoder(textEncoder, contextLength, trainable);
        }
        UNet unet = b.build();
        unet.initialize(manager, height, width);
        return unet;
    }

    /**
     * Tells whether the model reads a caption (token ids) instead of a class label.
     *
     * @return true for a text-conditional model
     */
    public boolean isTextConditional() {
        return contextLength > 0 && !embeddingContext;
    }

    /**
     * Tells whether the model reads a float condition vector (B, D), e.g. an unCLIP decoder's CLIP
     * image embedding.
     *
     * @return true for an embedding-conditional model
     */
    public boolean isEmbeddingConditional() {
        return contextLength > 0 && embeddingContext;
    }

    /**
     * Tells whether the model reads a context through an encoder block (captions or a condition
     * vector): it is then built with {@link #build(NDManager, Block, boolean)}.
     *
     * @return true for a text- or embedding-conditional model
     */
    public boolean hasContext() {
        return contextLength > 0;
    }

    /**
     * Returns the shape of one sample.
     *
     * @return (C, H, W), or (D) for the MLP
     */
    public Shape sampleShape() {
        return "mlp".equals(network) ? new Shape(channels) : new Shape(channels, height, width);
    }

    /**
     * Returns the shape of a batch.
     *
     * @param n batch size
     * @return (n, C, H, W) or (n, D)
     */
    public Shape batchShape(int n) {
        return new Shape(n).addAll(sampleShape());
    }

    /**
     * Returns the schedule.
     *
     * @return the schedule
     */
    public NoiseSchedule noiseSchedule() {
        if (prediction == Prediction.FLOW) {
            throw new GenLabException(
                    "A flow-matching model has no noise schedule: sample it with FlowSampler.");
        }
        return NoiseSchedule.byName(schedule, steps);
    }

    /**
     * Wraps a trained network for sampling.
     *
     * @param block the network
     * @return the denoiser
     */
    public Denoiser denoiser(Block block) {
        return Denoiser.of(block, prediction);
    }

    /**
     * Writes the spec as run settings.
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("network", network);
        m.put("preset", preset);
        m.put("channels", Integer.toString(channels));
        m.put("height", Integer.toString(height));
        m.put("width", Integer.toString(width));
        m.put("classes", Integer.toString(numClasses));
        m.put("schedule", schedule);
        m.put("timesteps", Integer.toString(steps));
        m.put("prediction", prediction.name().toLowerCase(Locale.ROOT));
        if (contextLength > 0) {
            m.put("contextLength", Integer.toString(contextLength));
        }
        if (embeddingContext) {
            m.put(CONTEXT_KEY, EMBEDDING);
        }
        return m;
    }

    /**
     * Reads a spec back from run settings.
     *
     * @param c the settings
     * @return the spec
     * @throws GenLabException with one line saying how to sample from code when the run holds a
     *     custom denoiser or was trained with a custom noise schedule
     */
    public static ModelSpec fromConfig(Map<String, String> c) {
        String prediction = c.getOrDefault("prediction", "epsilon").toUpperCase(Locale.ROOT);
        if (CUSTOM.equals(c.get("network"))) {
            throw new GenLabException(
                    "This run holds a custom denoiser ("
                            + c.getOrDefault("networkClass", "class not recorded")
                            + ") that GenLab cannot rebuild; sample it from code: build the same"
                            + " block, load it with Checkpoint.loadNetwork(run.checkpointFile(),"
                            + " \"diffusion\", \"denoiser\", block, true), wrap it with"
                            + " Denoiser.of(block, Prediction."
                            + prediction
                            + ") and call DdimSampler with its schedule (see README, Extend"
                            + " GenLab).");
        }
        String schedule = c.get("schedule");
        if (schedule != null
                && !schedule.equals("linear")
                && !schedule.equals("cosine")
                && !(schedule.equals(DiffusionTrainer.FLOW_SCHEDULE)
                        && prediction.equals("FLOW"))) {
            throw new GenLabException(
                    "This run was trained with a custom noise schedule ('"
                            + schedule
                            + "') that GenLab cannot rebuild by name; sample it from code: build"
                            + " the same schedule with NoiseSchedule.fromBetas or fromAlphaBars"
                            + " and give it to DdimSampler.builder().setSchedule (see README,"
                            + " Extend GenLab).");
        }
        try {
            return new ModelSpec(
                    c.get("network"),
                    c.getOrDefault("preset", "cpu"),
                    Integer.parseInt(c.get("channels")),
                    Integer.parseInt(c.get("height")),
                    Integer.parseInt(c.get("width")),
                    Integer.parseInt(c.getOrDefault("classes", "0")),
                    c.get("schedule"),
                    Integer.parseInt(c.get("timesteps")),
                    Prediction.valueOf(prediction),
                    Integer.parseInt(c.getOrDefault("contextLength", "0")),
                    EMBEDDING.equals(c.get(CONTEXT_KEY)));
        } catch (RuntimeException e) {
            throw new GenLabException(
                    "The run's config.properties does not describe a diffusion model ("
                            + e.getMessage()
                            + "). Point --run at a folder written by `genlab train diffusion`.",
                    e);
        }
    }
}
