package org.genlab.diffusion.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.MlpDenoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.nn.UNet;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * Everything needed to rebuild a trained diffusion model from a run folder's {@code
 * config.properties}: the network (UNet preset or 2D MLP), the data shape, the classes, the
 * schedule and the prediction type.
 *
 * @param network {@code unet} or {@code mlp}
 * @param preset {@code cpu} or {@code gpu} (UNet)
 * @param channels C (or the point dimension D for the MLP)
 * @param height H (1 for the MLP)
 * @param width W (1 for the MLP)
 * @param numClasses K, or 0 for unconditional
 * @param schedule {@code linear} or {@code cosine}
 * @param steps T
 * @param prediction ε or v
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
        Prediction prediction) {

    /** The model name written into checkpoints. */
    public static final String MODEL = "diffusion";

    /** The network's name inside checkpoints. */
    public static final String NETWORK = "denoiser";

    /**
     * Builds and initialises the network.
     *
     * @param manager where its parameters live
     * @return the network
     */
    public Block build(NDManager manager) {
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
            default:
                throw new GenLabException("Unknown preset '" + preset + "': use cpu or gpu.");
        }
        UNet unet = b.build();
        unet.initialize(manager, height, width);
        return unet;
    }

    /**
     * Returns the shape of one sample.
     *
     * @param n batch size
     * @return (n, C, H, W) or (n, D)
     */
    public Shape batchShape(int n) {
        return "mlp".equals(network)
                ? new Shape(n, channels)
                : new Shape(n, channels, height, width);
    }

    /**
     * Returns the schedule.
     *
     * @return the schedule
     */
    public NoiseSchedule noiseSchedule() {
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
        m.put("prediction", prediction.name().toLowerCase());
        return m;
    }

    /**
     * Reads a spec back from run settings.
     *
     * @param c the settings
     * @return the spec
     */
    public static ModelSpec fromConfig(Map<String, String> c) {
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
                    Prediction.valueOf(c.getOrDefault("prediction", "epsilon").toUpperCase()));
        } catch (RuntimeException e) {
            throw new GenLabException(
                    "The run's config.properties does not describe a diffusion model ("
                            + e.getMessage()
                            + "). Point --run at a folder written by `genlab train diffusion`.",
                    e);
        }
    }
}
