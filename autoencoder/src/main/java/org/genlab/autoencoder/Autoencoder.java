package org.genlab.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.autoencoder.bottleneck.Bottleneck;
import org.genlab.autoencoder.bottleneck.VqBottleneck;
import org.genlab.autoencoder.nn.Decoder;
import org.genlab.autoencoder.nn.Encoder;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;

/**
 * A convolutional autoencoder in three pieces: encoder → bottleneck → decoder.
 *
 * <pre>
 *   h = E(x)                 {@link Encoder}: (C, H, W) → (C_h, H/4, W/4)
 *   z = bottleneck(h)        {@link Bottleneck}: e.g. z = μ + σ ε (KL), or the nearest code (VQ)
 *   x̂ = D(z)                 {@link Decoder}: (c, H/4, W/4) → (C, H, W), in [-1, 1]
 * </pre>
 *
 * With the default {@link Bottleneck#kl() KL bottleneck} this is the "KL-reg" autoencoder of latent
 * diffusion (Rombach et al. 2022) at f = 4: MNIST 1×28×28 ↔ 4×7×7, CIFAR-10 3×32×32 ↔ 4×8×8.
 *
 * <pre>{@code
 * Autoencoder ae = Autoencoder.builder().setImageShape(new Shape(1, 28, 28))
 *         .optLatentChannels(4).optWidth(32).build().initialize(manager);
 * NDArray mu = ae.encode(ps, images);            // (B, 4, 7, 7)
 * NDArray xHat = ae.decode(ps, mu, false);       // (B, 1, 28, 28)
 * }</pre>
 *
 * <p>{@link #toConfig()} writes what rebuilds it ({@code autoencoder.*} keys of a run's {@code
 * config.properties}) and {@link #fromConfig} reads them back.
 */
public final class Autoencoder extends LazyBlock {

    /** The model name written into checkpoints. */
    public static final String MODEL = "autoencoder";

    /** The network's name inside checkpoints. */
    public static final String NETWORK = "autoencoder";

    /** The downsampling factor f: a latent is f times smaller than the image in each side. */
    public static final int FACTOR = 4;

    private final Shape imageShape;
    private final int latentChannels;
    private final int width;
    private final Encoder encoder;
    private final Bottleneck bottleneck;
    private final Decoder decoder;

    private Autoencoder(Builder b) {
        imageShape = b.imageShape;
        latentChannels = b.latentChannels;
        width = b.width;
        encoder =
                addChildBlock(
                        "encoder", new Encoder(width, b.bottleneck.inputChannels(latentChannels)));
        bottleneck = addChildBlock("bottleneck", b.bottleneck);
        decoder = addChildBlock("decoder", new Decoder(width, (int) imageShape.get(0)));
    }

    /**
     * Starts a builder.
     *
     * @return a builder: 4 latent channels, width 32, KL bottleneck
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Initialises the parameters for this autoencoder's image shape.
     *
     * @param manager where the parameters live (and so the device)
     * @return this
     */
    public Autoencoder initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1).addAll(imageShape));
        return this;
    }

    /**
     * What one pass through the autoencoder gives while training.
     *
     * @param xHat (B, C, H, W), the reconstruction x̂ = D(z)
     * @param z (B, c, h, w), the latent it was decoded from
     * @param losses the bottleneck's loss terms (e.g. {@code kl})
     * @param metrics the bottleneck's metrics (e.g. VQ codebook {@code usage})
     */
    public record Reconstruction(
            NDArray xHat, NDArray z, Map<String, NDArray> losses, Map<String, NDArray> metrics) {}

    /**
     * Encodes, passes the bottleneck, and decodes: x̂ = D(bottleneck(E(x))).
     *
     * @param ps the parameter store
     * @param x (B, C, H, W) images in [-1, 1]
     * @param training true while training (the KL bottleneck then samples z = μ + σ ε)
     * @return x̂, z and the bottleneck's loss terms
     */
    public Reconstruction reconstruct(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = Children.call(encoder, ps, training, x);
        initializeBottleneck(ps, h);
        Bottleneck.Output b = bottleneck.apply(ps, h, training);
        NDArray xHat = Children.call(decoder, ps, training, b.z());
        return new Reconstruction(xHat, b.z(), b.losses(), b.metrics());
    }

    /**
     * Encodes images to their deterministic latent (μ for the KL bottleneck), unscaled.
     *
     * @param ps the parameter store
     * @param x (B, C, H, W) images in [-1, 1]
     * @return (B, c, H/4, W/4)
     */
    public NDArray encode(ParameterStore ps, NDArray x) {
        NDArray h = Children.call(encoder, ps, false, x);
        initializeBottleneck(ps, h);
        return bottleneck.latent(ps, h);
    }

    /**
     * Encodes images to their token grid: the index of the nearest code at each latent position (VQ
     * bottleneck only).
     *
     * @param ps the parameter store
     * @param x (B, C, H, W) images in [-1, 1]
     * @return (B, H/4, W/4) int64 indices in [0, K), e.g. 7×7 for MNIST
     * @throws GenLabException if the bottleneck is not vector-quantised
     */
    public NDArray tokens(ParameterStore ps, NDArray x) {
        VqBottleneck vq = vq();
        NDArray h = Children.call(encoder, ps, false, x);
        initializeBottleneck(ps, h);
        return vq.indices(h);
    }

    /**
     * Decodes token grids to images: x̂ = D(e_k) (VQ bottleneck only).
     *
     * @param ps the parameter store
     * @param tokens (B, h, w) integer indices in [0, K)
     * @return (B, C, 4h, 4w) in [-1, 1]
     * @throws GenLabException if the bottleneck is not vector-quantised
     */
    public NDArray decodeTokens(ParameterStore ps, NDArray tokens) {
        return decode(ps, vq().codeVectors(tokens), false);
    }

    private VqBottleneck vq() {
        if (!(bottleneck instanceof VqBottleneck vq)) {
            throw new GenLabException(
                    "Tokens need a vector-quantised autoencoder; this one's bottleneck is "
                            + bottleneck.kind()
                            + ".");
        }
        return vq;
    }

    /** A bottleneck with parameters (a VQ codebook) is initialised from its first input. */
    private void initializeBottleneck(ParameterStore ps, NDArray h) {
        if (!bottleneck.isInitialized()) {
            bottleneck.initialize(ps.getManager(), DataType.FLOAT32, h.getShape());
        }
    }

    /**
     * Decodes latents to images.
     *
     * @param ps the parameter store
     * @param z (B, c, h, w), unscaled
     * @param training true while training
     * @return (B, C, 4h, 4w) in [-1, 1]
     */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        return Children.call(decoder, ps, training, z);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(reconstruct(ps, inputs.singletonOrThrow(), training).xHat());
    }

    /**
     * Returns the shape of one image.
     *
     * @return (C, H, W)
     */
    public Shape imageShape() {
        return imageShape;
    }

    /**
     * Returns the shape of one latent.
     *
     * @return (c, H/4, W/4)
     */
    public Shape latentShape() {
        return new Shape(latentChannels, imageShape.get(1) / FACTOR, imageShape.get(2) / FACTOR);
    }

    /**
     * Returns the latent channels c.
     *
     * @return c
     */
    public int latentChannels() {
        return latentChannels;
    }

    /**
     * Returns the width W (channels at half resolution).
     *
     * @return W
     */
    public int width() {
        return width;
    }

    /**
     * Returns the bottleneck.
     *
     * @return the bottleneck
     */
    public Bottleneck bottleneck() {
        return bottleneck;
    }

    /**
     * Writes the settings that rebuild this autoencoder.
     *
     * @return {@code autoencoder.bottleneck}, {@code .imageChannels}, {@code .imageHeight}, {@code
     *     .imageWidth}, {@code .latentChannels}, {@code .width}, and the bottleneck's own settings
     *     (VQ: {@code .codebookSize}, {@code .commitment}, {@code .restartAfter})
     */
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("autoencoder.bottleneck", bottleneck.kind());
        c.put("autoencoder.imageChannels", Long.toString(imageShape.get(0)));
        c.put("autoencoder.imageHeight", Long.toString(imageShape.get(1)));
        c.put("autoencoder.imageWidth", Long.toString(imageShape.get(2)));
        c.put("autoencoder.latentChannels", Integer.toString(latentChannels));
        c.put("autoencoder.width", Integer.toString(width));
        c.putAll(bottleneck.config());
        return c;
    }

    /**
     * Tells whether run settings describe an autoencoder.
     *
     * @param config a run's settings
     * @return true if they hold {@code autoencoder.bottleneck}
     */
    public static boolean isAutoencoder(Map<String, String> config) {
        return config.containsKey("autoencoder.bottleneck");
    }

    /**
     * Rebuilds an autoencoder (uninitialised) from run settings written by {@link #toConfig()}.
     *
     * @param config the settings
     * @return the autoencoder
     * @throws GenLabException if they do not describe an autoencoder
     */
    public static Autoencoder fromConfig(Map<String, String> config) {
        if (!isAutoencoder(config)) {
            throw new GenLabException(
                    "These settings do not describe an autoencoder (no autoencoder.bottleneck).");
        }
        try {
            return builder()
                    .setImageShape(
                            new Shape(
                                    Long.parseLong(config.get("autoencoder.imageChannels")),
                                    Long.parseLong(config.get("autoencoder.imageHeight")),
                                    Long.parseLong(config.get("autoencoder.imageWidth"))))
                    .optLatentChannels(Integer.parseInt(config.get("autoencoder.latentChannels")))
                    .optWidth(Integer.parseInt(config.get("autoencoder.width")))
                    .optBottleneck(Bottleneck.fromConfig(config))
                    .build();
        } catch (NumberFormatException | NullPointerException e) {
            throw new GenLabException(
                    "The autoencoder settings are incomplete or not numbers: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "Autoencoder(%s, %s ↔ %s, width %d)",
                bottleneck.kind(),
                imageShape,
                latentShape(),
                width);
    }

    /** Builds an {@link Autoencoder}. */
    public static final class Builder {
        private Shape imageShape;
        private int latentChannels = 4;
        private int width = 32;
        private Bottleneck bottleneck;

        private Builder() {}

        /**
         * Sets the shape of one image.
         *
         * @param shape (C, H, W) with H and W divisible by 4, e.g. (1, 28, 28) or (3, 32, 32)
         * @return this
         */
        public Builder setImageShape(Shape shape) {
            this.imageShape = shape;
            return this;
        }

        /**
         * Sets the channels c of the latent.
         *
         * @param c latent channels (default 4, as Rombach et al.'s f = 4 autoencoder)
         * @return this
         */
        public Builder optLatentChannels(int c) {
            this.latentChannels = c;
            return this;
        }

        /**
         * Sets the width W: channels at half resolution (W/2 at full, 2W at quarter resolution).
         *
         * @param width W, even (default 32: 0.14 M parameters for MNIST)
         * @return this
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Sets the bottleneck.
         *
         * @param bottleneck e.g. {@link Bottleneck#kl()} (the default)
         * @return this
         */
        public Builder optBottleneck(Bottleneck bottleneck) {
            this.bottleneck = bottleneck;
            return this;
        }

        /**
         * Builds the autoencoder, uninitialised (call {@link Autoencoder#initialize(NDManager)}).
         *
         * @return the autoencoder
         */
        public Autoencoder build() {
            if (imageShape == null
                    || imageShape.dimension() != 3
                    || imageShape.get(1) % FACTOR != 0
                    || imageShape.get(2) % FACTOR != 0
                    || imageShape.get(0) < 1
                    || imageShape.get(1) < FACTOR
                    || imageShape.get(2) < FACTOR) {
                throw new GenLabException(
                        "Autoencoder: setImageShape needs (C, H, W) with H and W divisible by "
                                + FACTOR
                                + ", e.g. (1, 28, 28); got "
                                + imageShape
                                + ".");
            }
            if (latentChannels < 1 || width < 2 || width % 2 != 0) {
                throw new GenLabException(
                        "Autoencoder: latent channels must be >= 1 and the width even and >= 2;"
                                + " got "
                                + latentChannels
                                + " and "
                                + width
                                + ".");
            }
            if (bottleneck == null) {
                bottleneck = Bottleneck.kl();
            }
            return new Autoencoder(this);
        }
    }
}
