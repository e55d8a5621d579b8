package org.genlab.gan;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.gan.nn.DcganDiscriminator;
import org.genlab.gan.nn.DcganGenerator;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.nn.MlpDiscriminator;
import org.genlab.gan.nn.MlpGenerator;

/**
 * Builds a generator and a discriminator from a few settings, and records those settings in a run's
 * configuration so that {@code genlab sample gan} can rebuild the same networks.
 *
 * <pre>{@code
 * GanModels models = new GanModels("dcgan", new Shape(1, 28, 28), 0, 100, 32, false);
 * GanTrainer gan = GanTrainer.builder().setManager(manager).optModels(models)   // builds G and D
 *     .setData(mnist, 64).build();
 * Generator g = gan.generator();            // the G being trained
 * }</pre>
 *
 * <p>A run trained on networks of your own records {@code gan.model=custom} ({@link
 * #customConfig}); {@link #fromConfig} then says how to sample it from code.
 *
 * @param model {@code mlp} or {@code dcgan}
 * @param sampleShape (C, H, W) for images, (2) for points
 * @param numClasses classes for a conditional model, else 0
 * @param latentDim size of z
 * @param width base width (channels for DCGAN, units for MLP)
 * @param spectralNorm spectral normalisation in D
 * @param batchNormD batch normalisation in the DCGAN discriminator (Radford et al.)
 */
public record GanModels(
        String model,
        Shape sampleShape,
        int numClasses,
        int latentDim,
        int width,
        boolean spectralNorm,
        boolean batchNormD) {

    /** The {@code gan.model} of a run trained on networks GenLab did not build. */
    private static final String CUSTOM = "custom";

    /**
     * The settings with GenLab's default normalisation: batch norm in a DCGAN discriminator unless
     * it is spectrally normalised (use the full constructor for a WGAN-GP critic, which must not
     * batch-normalise).
     *
     * @param model {@code mlp} or {@code dcgan}
     * @param sampleShape (C, H, W) for images, (2) for points
     * @param numClasses classes for a conditional model, else 0
     * @param latentDim size of z
     * @param width base width
     * @param spectralNorm spectral normalisation in D
     */
    public GanModels(
            String model,
            Shape sampleShape,
            int numClasses,
            int latentDim,
            int width,
            boolean spectralNorm) {
        this(
                model,
                sampleShape,
                numClasses,
                latentDim,
                width,
                spectralNorm,
                "dcgan".equals(model) && !spectralNorm);
    }

    /**
     * Builds a <em>new</em> G: every call makes another network with fresh weights, so keep the one
     * you train (or ask the trainer: {@code gan.generator()}).
     *
     * @return a new, uninitialised generator
     */
    public Generator newGenerator() {
        if (model.equals("dcgan")) {
            requireImages();
            return DcganGenerator.builder()
                    .setImageShape(
                            (int) sampleShape.get(0),
                            (int) sampleShape.get(1),
                            (int) sampleShape.get(2))
                    .optLatentDim(latentDim)
                    .optWidth(width)
                    .optNumClasses(numClasses)
                    .build();
        }
        if (model.equals("mlp")) {
            return MlpGenerator.builder()
                    .setSampleShape(sampleShape)
                    .optLatentDim(latentDim)
                    .optWidth(width)
                    .optTanh(sampleShape.dimension() == 3)
                    .optNumClasses(numClasses)
                    .build();
        }
        throw new GenLabException("Unknown GAN model '" + model + "'. Choose mlp or dcgan.");
    }

    /**
     * Builds a <em>new</em> D: every call makes another network with fresh weights, so keep the one
     * you train (or ask the trainer: {@code gan.discriminator()}).
     *
     * @return a new, uninitialised discriminator
     */
    public Discriminator newDiscriminator() {
        if (model.equals("dcgan")) {
            requireImages();
            return DcganDiscriminator.builder()
                    .setImageShape(
                            (int) sampleShape.get(0),
                            (int) sampleShape.get(1),
                            (int) sampleShape.get(2))
                    .optWidth(width)
                    .optNumClasses(numClasses)
                    .optSpectralNorm(spectralNorm)
                    .optBatchNorm(batchNormD)
                    .build();
        }
        if (model.equals("mlp")) {
            return MlpDiscriminator.builder()
                    .setSampleShape(sampleShape)
                    .optWidth(width)
                    .optNumClasses(numClasses)
                    .optSpectralNorm(spectralNorm)
                    .build();
        }
        throw new GenLabException("Unknown GAN model '" + model + "'. Choose mlp or dcgan.");
    }

    /**
     * Returns the model kind stored in checkpoints.
     *
     * @return e.g. {@code gan-dcgan}
     */
    public String kind() {
        return "gan-" + model;
    }

    private static String shapeString(Shape shape) {
        StringBuilder s = new StringBuilder();
        for (long d : shape.getShape()) {
            s.append(s.length() == 0 ? "" : "x").append(d);
        }
        return s.toString();
    }

    private void requireImages() {
        if (sampleShape.dimension() != 3) {
            throw new GenLabException(
                    "The dcgan model draws images; for 2D toy data use --model mlp.");
        }
    }

    /**
     * Writes the settings as configuration entries.
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("gan.model", model);
        c.put("gan.sampleShape", shapeString(sampleShape));
        c.put("gan.numClasses", Integer.toString(numClasses));
        c.put("gan.latentDim", Integer.toString(latentDim));
        c.put("gan.width", Integer.toString(width));
        c.put("gan.spectralNorm", Boolean.toString(spectralNorm));
        c.put("gan.batchNormD", Boolean.toString(batchNormD));
        return c;
    }

    /**
     * Describes networks GenLab did not build (your own bodies), honestly: {@code
     * gan.model=custom}, the classes of G's and D's bodies ({@code gan.generator}, {@code
     * gan.discriminator}), the checkpoint's model name ({@code gan.kind}), and the sample shape,
     * latent size and class count.
     *
     * @param g the generator
     * @param d the discriminator
     * @param kind the model name in the checkpoint, e.g. {@code gan}
     * @return key to value
     */
    public static Map<String, String> customConfig(Generator g, Discriminator d, String kind) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("gan.model", CUSTOM);
        c.put("gan.generator", g.body().getClass().getName());
        c.put("gan.discriminator", d.body().getClass().getName());
        c.put("gan.kind", kind);
        c.put("gan.sampleShape", shapeString(g.sampleShape()));
        c.put("gan.numClasses", Integer.toString(g.numClasses()));
        c.put("gan.latentDim", Integer.toString(g.latentDim()));
        return c;
    }

    /**
     * Reads the settings back from a run's configuration.
     *
     * @param config the configuration
     * @return the settings
     * @throws GenLabException if the run is not a GAN run, or holds custom networks (the message
     *     says how to sample those from code)
     */
    public static GanModels fromConfig(Map<String, String> config) {
        String model = config.get("gan.model");
        if (model == null) {
            throw new GenLabException(
                    "This run has no GAN settings (gan.model): it was not trained with genlab train"
                            + " gan.");
        }
        if (model.equals(CUSTOM)) {
            throw new GenLabException(
                    "This run holds a custom GAN (generator body "
                            + config.getOrDefault("gan.generator", "?")
                            + ", discriminator body "
                            + config.getOrDefault("gan.discriminator", "?")
                            + ") that GenLab cannot rebuild: sample it from code — build the same"
                            + " generator, initialize it, load it with Checkpoint.loadNetwork(run"
                            + " checkpoint, \""
                            + config.getOrDefault("gan.kind", "gan")
                            + "\", \"G\", g, true) and call g.generate (see README, Extend"
                            + " GenLab).");
        }
        String[] parts = config.get("gan.sampleShape").split("x");
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Long.parseLong(parts[i]);
        }
        return new GanModels(
                model,
                new Shape(dims),
                Integer.parseInt(config.get("gan.numClasses")),
                Integer.parseInt(config.get("gan.latentDim")),
                Integer.parseInt(config.get("gan.width")),
                Boolean.parseBoolean(config.get("gan.spectralNorm")),
                Boolean.parseBoolean(config.getOrDefault("gan.batchNormD", "false")));
    }
}
