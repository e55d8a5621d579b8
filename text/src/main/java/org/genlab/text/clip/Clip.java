package org.genlab.text.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Scalars;
import org.genlab.core.train.RunFolder;
import org.genlab.text.encoder.TextEncoder;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * CLIP: an image encoder and a text encoder trained so that an image and its caption land on the
 * same point of a shared space (Radford et al., "Learning Transferable Visual Models From Natural
 * Language Supervision", ICML 2021):
 *
 * <pre>
 *   I = normalize(f_img(x) W_i)      (B, E) unit vectors
 *   T = normalize(f_txt(ids) W_t)    (B, E) unit vectors; f_txt = the text encoder's pooled output
 *   s = exp(min(log τ⁻¹, log 100))   the learned logit scale, log τ⁻¹ initialised to log(1/0.07)
 * </pre>
 *
 * {@link ContrastiveLoss} then pulls each I_i toward its T_i and away from the others.
 *
 * <pre>{@code
 * Clip clip = Clip.builder().setImageShape(new Shape(1, 28, 28))
 *         .setVocabularySize(tok.size()).optMaxLength(8).build().initialize(manager);
 * NDArray i = clip.encodeImages(ps, images);   // (B, E)
 * NDArray t = clip.encodeTexts(ps, ids);       // (B, E)
 * NDArray sim = i.matMul(t.transpose());       // cosine similarities
 * }</pre>
 *
 * <p>forward takes (images (B, C, H, W), ids (B, L) int64) and returns (I, T, s).
 */
public final class Clip extends LazyBlock {

    /** The network's name in checkpoints. */
    public static final String NETWORK = "clip";

    /** log(1/0.07): CLIP's initial temperature τ = 0.07. */
    public static final float INITIAL_LOG_SCALE = (float) Math.log(1 / 0.07);

    /** log 100: CLIP clips the logit scale at 100 "to prevent training instability". */
    public static final float MAX_LOG_SCALE = (float) Math.log(100);

    private final ClipSpec spec;
    private final ImageEncoder imageEncoder;
    private final TextEncoder textEncoder;
    private final Block imageProjection;
    private final Block textProjection;
    private final Parameter logScale;

    private Clip(ClipSpec spec) {
        this.spec = spec;
        imageEncoder =
                addChildBlock("image", new ImageEncoder(spec.imageChannels(), spec.imageDim()));
        textEncoder =
                addChildBlock(
                        "text",
                        TextEncoder.builder()
                                .setVocabularySize(spec.vocabularySize())
                                .optDim(spec.textDim())
                                .optLayers(spec.textLayers())
                                .optHeads(spec.textHeads())
                                .optMaxLength(spec.maxLength())
                                .build());
        imageProjection =
                addChildBlock(
                        "imageProjection",
                        Linear.builder().setUnits(spec.embedDim()).optBias(false).build());
        textProjection =
                addChildBlock(
                        "textProjection",
                        Linear.builder().setUnits(spec.embedDim()).optBias(false).build());
        logScale =
                addParameter(
                        Parameter.builder()
                                .setName("logScale")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(1))
                                .optInitializer(new ConstantInitializer(INITIAL_LOG_SCALE))
                                .build());
    }

    /**
     * Creates a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a CLIP model from its settings (e.g. read from a run folder).
     *
     * @param spec the settings
     * @return the model, not yet initialised
     */
    public static Clip of(ClipSpec spec) {
        return new Clip(spec);
    }

    /**
     * Initialises the weights for this model's image and caption shapes.
     *
     * @param manager where the weights live
     * @return this
     */
    public Clip initialize(NDManager manager) {
        initialize(
                manager,
                DataType.FLOAT32,
                new Shape(2, spec.channels(), spec.imageSize(), spec.imageSize()),
                new Shape(2, spec.maxLength()));
        return this;
    }

    @Override
    protected DataType inputType(int i) {
        return i == 1 ? DataType.INT64 : DataType.FLOAT32;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray i = encodeImages(ps, inputs.get(0), training);
        NDArray t = encodeTexts(ps, inputs.get(1), training);
        return new NDList(i, t, logitScale(ps, i, training));
    }

    /**
     * Embeds images, without recording gradients unless a collector is open.
     *
     * @param ps the parameter store
     * @param images (B, C, H, W) in [-1, 1]
     * @return I, (B, E) unit vectors
     */
    public NDArray encodeImages(ParameterStore ps, NDArray images) {
        return encodeImages(ps, images, false);
    }

    /**
     * Embeds captions.
     *
     * @param ps the parameter store
     * @param ids (B, L) int64 token ids
     * @return T, (B, E) unit vectors
     */
    public NDArray encodeTexts(ParameterStore ps, NDArray ids) {
        return encodeTexts(ps, ids, false);
    }

    NDArray encodeImages(ParameterStore ps, NDArray images, boolean training) {
        Shape s = images.getShape();
        if (s.dimension() != 4
                || s.get(1) != spec.channels()
                || s.get(2) != spec.imageSize()
                || s.get(3) != spec.imageSize()) {
            throw new GenLabException(
                    "This CLIP model takes (B, "
                            + spec.channels()
                            + ", "
                            + spec.imageSize()
                            + ", "
                            + spec.imageSize()
                            + ") images, got "
                            + s
                            + ".");
        }
        // I = normalize(f_img(x) W_i)
        NDArray f = Children.call(imageEncoder, ps, training, images);
        return normalize(Children.call(imageProjection, ps, training, f));
    }

    NDArray encodeTexts(ParameterStore ps, NDArray ids, boolean training) {
        // T = normalize(f_txt(ids) W_t), f_txt = the pooled (masked mean) output
        if (!textEncoder.isInitialized()) {
            textEncoder.initialize(ps.getManager(), DataType.FLOAT32, ids.getShape());
        }
        NDArray pooled = textEncoder.forward(ps, new NDList(ids), training).get(2);
        return normalize(Children.call(textProjection, ps, training, pooled));
    }

    /** x / ‖x‖ along axis 1 (ε inside the root keeps the empty caption's zero vector finite). */
    private static NDArray normalize(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).add(Scalars.scalar(x, 1e-12f)).sqrt();
        return x.div(norm);
    }

    private NDArray logitScale(ParameterStore ps, NDArray like, boolean training) {
        NDArray log = ps.getValue(logScale, like.getDevice(), training);
        // s = exp(min(log τ⁻¹, log 100)); clip's gradient is 0 beyond the bound, as clipping the
        // parameter in place would be
        return log.clip(0f, MAX_LOG_SCALE).exp().reshape(new Shape());
    }

    /**
     * Returns the current logit scale s = 1/τ (a copy, without gradient).
     *
     * @return a 0-d array in the weights' manager
     */
    public NDArray logitScale() {
        try (NoGrad scope = NoGrad.enter()) {
            NDArray log = logScale.getArray();
            return log.clip(0f, MAX_LOG_SCALE).exp().reshape(new Shape());
        }
    }

    /**
     * Returns the text encoder (to reuse its token outputs, or draw its attention).
     *
     * @return the text tower
     */
    public TextEncoder textEncoder() {
        return textEncoder;
    }

    /**
     * Returns the image encoder.
     *
     * @return the image tower
     */
    public ImageEncoder imageEncoder() {
        return imageEncoder;
    }

    /**
     * Returns the settings that rebuild this model.
     *
     * @return the spec
     */
    public ClipSpec spec() {
        return spec;
    }

    /**
     * Describes the model for a run's {@code config.properties} ({@link ClipSpec#toConfig}).
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        return spec.toConfig();
    }

    @Override
    public String toString() {
        return "Clip(" + spec + ")";
    }

    /**
     * A trained model with its tokenizer, as {@link #load} returns it.
     *
     * @param clip the model, on the manager given to load
     * @param tokenizer the vocabulary it was trained with
     */
    public record Loaded(Clip clip, Tokenizer tokenizer) {}

    /**
     * Loads a CLIP run written by {@link ClipTrainer}: {@code config.properties} (the {@link
     * ClipSpec}), {@code vocab.txt} and the checkpoint's {@code clip} network.
     *
     * @param runFolder the run folder
     * @param manager where the weights go
     * @return the model and its tokenizer
     * @throws GenLabException when the folder is not a finished CLIP run
     */
    public static Loaded load(Path runFolder, NDManager manager) {
        if (runFolder == null || !Files.isDirectory(runFolder)) {
            throw new GenLabException(
                    "No CLIP run at " + runFolder + ": train one with ClipTrainer first.");
        }
        RunFolder run = RunFolder.open(runFolder);
        Map<String, String> config = run.config();
        if (!ClipSpec.MODEL.equals(config.get("model"))) {
            throw new GenLabException(
                    runFolder
                            + " is not a CLIP run (its config.properties says model="
                            + config.get("model")
                            + "): point at a folder written by ClipTrainer.");
        }
        if (!run.hasCheckpoint()) {
            throw new GenLabException(
                    "The CLIP run " + runFolder + " has no checkpoint.zip: train it first.");
        }
        Tokenizer tok = Tokenizer.load(runFolder.resolve(Tokenizer.FILE_NAME));
        ClipSpec spec = ClipSpec.fromConfig(config);
        if (tok.size() != spec.vocabularySize()) {
            throw new GenLabException(
                    "The CLIP run "
                            + runFolder
                            + " has a vocab.txt of "
                            + tok.size()
                            + " ids but a model of "
                            + spec.vocabularySize()
                            + ": the vocabulary was replaced; restore the one it was trained"
                            + " with.");
        }
        try (NoGrad scope = NoGrad.enter()) {
            Clip clip = of(spec).initialize(manager);
            Checkpoint.loadNetwork(run.checkpointFile(), ClipSpec.MODEL, NETWORK, clip, true);
            return new Loaded(clip, tok);
        }
    }

    /** Builds a {@link Clip}. */
    public static final class Builder {
        private Shape imageShape;
        private int vocabularySize;
        private int maxLength = 16;
        private int textDim = 64;
        private int textLayers = 2;
        private int textHeads = 4;
        private int imageChannels = 32;
        private int imageDim = 128;
        private int embedDim = 64;

        Builder() {}

        /**
         * Sets the image shape.
         *
         * @param shape (C, H, W) with H = W, e.g. (1, 28, 28)
         * @return this
         */
        public Builder setImageShape(Shape shape) {
            this.imageShape = shape;
            return this;
        }

        /**
         * Sets V, the tokenizer's {@code size()}.
         *
         * @param v V
         * @return this
         */
        public Builder setVocabularySize(int v) {
            this.vocabularySize = v;
            return this;
        }

        /**
         * Sets the longest caption, in words.
         *
         * @param maxLength L (default 16)
         * @return this
         */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /**
         * Sets the text encoder's width.
         *
         * @param dim D (default 64)
         * @return this
         */
        public Builder optTextDim(int dim) {
            this.textDim = dim;
            return this;
        }

        /**
         * Sets the text encoder's layers.
         *
         * @param layers N (default 2)
         * @return this
         */
        public Builder optTextLayers(int layers) {
            this.textLayers = layers;
            return this;
        }

        /**
         * Sets the text encoder's attention heads.
         *
         * @param heads h (default 4)
         * @return this
         */
        public Builder optTextHeads(int heads) {
            this.textHeads = heads;
            return this;
        }

        /**
         * Sets the image encoder's first channels c (its convolutions have c, 2c, 4c).
         *
         * @param channels c (default 32)
         * @return this
         */
        public Builder optImageChannels(int channels) {
            this.imageChannels = channels;
            return this;
        }

        /**
         * Sets the image encoder's width.
         *
         * @param dim (default 128)
         * @return this
         */
        public Builder optImageDim(int dim) {
            this.imageDim = dim;
            return this;
        }

        /**
         * Sets the shared embedding width E.
         *
         * @param dim E (default 64)
         * @return this
         */
        public Builder optEmbedDim(int dim) {
            this.embedDim = dim;
            return this;
        }

        /**
         * Builds the model.
         *
         * @return the model, not yet initialised ({@link Clip#initialize(NDManager)})
         */
        public Clip build() {
            if (imageShape == null
                    || imageShape.dimension() != 3
                    || imageShape.get(1) != imageShape.get(2)) {
                throw new GenLabException(
                        "Clip needs setImageShape((C, H, W)) of square images, got "
                                + imageShape
                                + ".");
            }
            if (imageChannels < 1 || imageDim < 1 || embedDim < 1) {
                throw new GenLabException(
                        "Clip needs image channels and widths >= 1, got "
                                + imageChannels
                                + ", "
                                + imageDim
                                + " and "
                                + embedDim
                                + ".");
            }
            ClipSpec spec =
                    new ClipSpec(
                            (int) imageShape.get(0),
                            (int) imageShape.get(1),
                            vocabularySize,
                            maxLength,
                            textDim,
                            textLayers,
                            textHeads,
                            imageChannels,
                            imageDim,
                            embedDim);
            // the text encoder checks its own settings
            TextEncoder.builder()
                    .setVocabularySize(vocabularySize)
                    .optDim(textDim)
                    .optLayers(textLayers)
                    .optHeads(textHeads)
                    .optMaxLength(maxLength)
                    .build();
            return new Clip(spec);
        }
    }
}
