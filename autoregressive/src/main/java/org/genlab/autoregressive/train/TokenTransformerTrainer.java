package org.genlab.autoregressive.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.autoregressive.sample.TokenSampler;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.nn.Gradients;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.optim.Adam;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;

/**
 * Trains a {@link TokenTransformer} as a task of the core {@code TrainingLoop}: one step is one
 * Adam step on the next-token cross-entropy ({@link NextTokenLoss}) of a batch of token sequences.
 *
 * <pre>
 *   c  = K + y with probability 1 − p_uncond, else the null token K + C   (class-conditional)
 *   c  = K + w (L ids) with probability 1 − p_uncond, else L × PAD        (captions, DALL-E)
 *   c  = K + C                                                          (unconditional: C = 0)
 *   ℓ  = Transformer([c ; z₀ … z_{N−2}]), rows P − 1 … P + N − 2
 *   L  = −(1 / B·N) Σ log softmax(ℓ_i)[z_i]
 * </pre>
 *
 * Dropping the condition with probability p_uncond (default 0.1) trains the same network as an
 * unconditional model too, which classifier-free guidance needs at sampling time (Ho &amp; Salimans
 * 2021; used for image tokens by Gafni et al., "Make-A-Scene", 2022): a dropped caption becomes the
 * empty, all-PAD caption.
 *
 * <p>The data is a {@link BatchSource} whose samples are (B, N) integer token sequences — {@code
 * BatchSource.shuffled(ImageTokens.encode(vq, images, manager), 64, seed)} — and whose labels are
 * (B) class labels, or (B, L) caption word ids for a caption model (ignored by an unconditional
 * model).
 *
 * <pre>{@code
 * TokenTransformer net = TokenTransformer.builder().setCodes(128).optClasses(10).build();
 * TokenTransformerTrainer trainer = TokenTransformerTrainer.builder()
 *         .setModel(net).setData(BatchSource.shuffled(tokens, 64, seed)).setManager(manager).build();
 * TrainingLoop.builder().setTask(trainer).setSteps(500).setRunFolder(run)
 *         .setManager(manager).build().fit();
 * }</pre>
 */
public final class TokenTransformerTrainer implements TrainingTask {

    /** The seed of the progress grids' sampling noise (the same noise at every step). */
    public static final long SAMPLE_SEED = 1234;

    /** The default learning rate. */
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;

    /** The default probability of dropping the condition. */
    public static final float DEFAULT_UNCONDITIONAL_PROBABILITY = 0.1f;

    private final TokenTransformer model;
    private final BatchSource data;
    private final float learningRate;
    private final float pUncond;
    private final float gradientClip;
    private final Adam adam;
    private final ParameterStore ps;
    private final TrainState state;
    private final NDManager manager;
    private final Autoencoder decoder;
    private final int sampleColumns;
    private final long[][] prompts;

    private TokenTransformerTrainer(Builder b) {
        manager = b.manager;
        decoder = b.decoder;
        sampleColumns = b.sampleColumns;
        prompts = b.prompts;
        model = b.model;
        data = b.data;
        learningRate = b.learningRate;
        pUncond = b.pUncond;
        gradientClip = b.gradientClip;
        if (!model.isInitialized()) {
            model.initialize(b.manager);
        }
        adam = Adam.builder().optLearningRate(learningRate).build();
        ps = new ParameterStore(b.manager, false);
        state =
                TrainState.builder()
                        .setModel(TokenTransformer.MODEL)
                        .addNetwork(TokenTransformer.NETWORK, model, adam, null)
                        .build();
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Losses step(long step, NDManager m) {
        Batch batch = data.next(m, step);
        NDArray z = batch.samples().toType(DataType.INT64, false);
        long b = z.getShape().get(0);
        NDArray c = conditions(m, batch.labels(), b);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(model);
            // ℓ = Transformer([c ; z₀ … z_{N−2}])
            NDArray logits = model.imageLogits(ps, TokenTransformer.inputs(c, z), true);
            // L = −(1 / B·N) Σ log softmax(ℓ_i)[z_i]
            loss = NextTokenLoss.apply(logits, z);
            gc.backward(loss);
        }
        if (gradientClip > 0) {
            Gradients.clipNorm(model, gradientClip);
        }
        adam.step(model);
        return new Losses().put("nll", loss);
    }

    /**
     * c = K + y (or the caption's K + w), replaced by the null prefix with probability p_uncond (or
     * always, C = 0).
     */
    private NDArray conditions(NDManager m, NDArray labels, long b) {
        NDArray none = model.nullTokens(m, b);
        if (model.classes() == 0 && !model.readsCaptions()) {
            return none;
        }
        if (labels == null) {
            throw new GenLabException(
                    "The token transformer is conditional ("
                            + (model.readsCaptions()
                                    ? "captions"
                                    : "C = " + model.classes() + " classes")
                            + ") but the data has no labels: give labelled token sequences, or"
                            + " build it unconditional.");
        }
        NDArray c = model.conditionTokens(model.readsCaptions() ? labels : labels.reshape(b));
        if (pUncond <= 0) {
            return c;
        }
        // one draw per sequence: a dropped caption becomes all PAD
        NDArray drop = m.randomUniform(0f, 1f, new Shape(b)).lt(pUncond);
        if (model.readsCaptions()) {
            drop = drop.reshape(b, 1).broadcast(none.getShape());
        }
        return NDArrays.where(drop, none, c);
    }

    /**
     * With a decoder ({@link Builder#optDecoder}): draws a grid of samples, one row per class, per
     * prompt ({@link Builder#optPrompts}) or per {@code sampleColumns} unconditional samples, from
     * a fixed seed with top-k = 16, decodes the tokens and writes {@code step-NNNNNNN.png}. Without
     * one it draws nothing.
     */
    @Override
    public void writeSamples(long step, Path folder) {
        if (decoder == null) {
            return;
        }
        Path file = folder.resolve(String.format(Locale.ROOT, "step-%07d.png", step));
        try (NDManager m = manager.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            Seeds.seed(SAMPLE_SEED);
            ParameterStore p = new ParameterStore(m, false);
            NDArray c = sampleConditions(m);
            NDArray z = TokenSampler.builder().setModel(model).optTopK(16).build().sample(p, c);
            NDArray x = decoder.decodeTokens(p, z);
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(x)
                            .optColumns(sampleColumns)
                            .optScale(2)
                            .build()
                            .render(),
                    file,
                    Provenance.builder()
                            .optModel(model.toString())
                            .opt("Step", "step " + step)
                            .opt(
                                    Provenance.KEY_DISCLOSURE,
                                    "Generated by an autoregressive image-token transformer"
                                            + " trained with GenLab ("
                                            + (model.readsCaptions()
                                                    ? "one row per prompt"
                                                    : "one row per class")
                                            + ").")
                            .build());
        }
    }

    /** The prefixes of the progress grid: sampleColumns per class, per prompt, or null ones. */
    private NDArray sampleConditions(NDManager m) {
        if (model.readsCaptions()) {
            if (prompts == null) {
                return model.nullTokens(m, sampleColumns);
            }
            long[][] rows = new long[prompts.length * sampleColumns][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = prompts[i / sampleColumns];
            }
            return model.conditionTokens(m.create(rows));
        }
        if (model.classes() == 0) {
            return model.nullTokens(m, sampleColumns);
        }
        long[] classes = new long[model.classes() * sampleColumns];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = i / sampleColumns;
        }
        return model.conditionTokens(m.create(classes));
    }

    @Override
    public TrainState state() {
        return state;
    }

    @Override
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>(model.toConfig());
        c.put("lr", Float.toString(learningRate));
        c.put("pUncond", Float.toString(pUncond));
        c.put("gradientClip", Float.toString(gradientClip));
        return c;
    }

    /**
     * Returns the network being trained.
     *
     * @return the transformer
     */
    public TokenTransformer model() {
        return model;
    }

    /**
     * Returns the parameter store the trainer uses.
     *
     * @return the store
     */
    public ParameterStore parameterStore() {
        return ps;
    }

    /** Builds a {@link TokenTransformerTrainer}. */
    public static final class Builder {
        private TokenTransformer model;
        private BatchSource data;
        private NDManager manager;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private float pUncond = DEFAULT_UNCONDITIONAL_PROBABILITY;
        private float gradientClip = 1f;
        private Autoencoder decoder;
        private int sampleColumns = 8;
        private long[][] prompts;

        private Builder() {}

        /**
         * Sets the VQ autoencoder whose decoder turns sampled tokens into the progress grids of
         * {@link TokenTransformerTrainer#writeSamples}.
         *
         * @param vq the autoencoder the tokens came from (none: no grids)
         * @return this
         */
        public Builder optDecoder(Autoencoder vq) {
            this.decoder = vq;
            return this;
        }

        /**
         * Sets how many samples per class the progress grid shows.
         *
         * @param columns samples per row (default 8)
         * @return this
         */
        public Builder optSampleColumns(int columns) {
            this.sampleColumns = columns;
            return this;
        }

        /**
         * Sets the captions the progress grid draws for a caption model, one row per prompt.
         *
         * @param rows caption word ids, L per row (none: a row of empty captions)
         * @return this
         */
        public Builder optPrompts(long[][] rows) {
            this.prompts = rows;
            return this;
        }

        /**
         * Sets the transformer to train (initialised here if it is not yet).
         *
         * @param model the transformer
         * @return this
         */
        public Builder setModel(TokenTransformer model) {
            this.model = model;
            return this;
        }

        /**
         * Sets where batches come from: samples (B, N) integer tokens, labels (B) classes.
         *
         * @param data the source
         * @return this
         */
        public Builder setData(BatchSource data) {
            this.data = data;
            return this;
        }

        /**
         * Sets the manager holding the model.
         *
         * @param manager the manager
         * @return this
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Sets Adam's learning rate.
         *
         * @param lr the rate (default {@value TokenTransformerTrainer#DEFAULT_LEARNING_RATE})
         * @return this
         */
        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        /**
         * Sets the probability p_uncond of training a sequence without its condition.
         *
         * @param p in [0, 1) (default {@value
         *     TokenTransformerTrainer#DEFAULT_UNCONDITIONAL_PROBABILITY}); ignored when C = 0
         * @return this
         */
        public Builder optUnconditionalProbability(float p) {
            this.pUncond = p;
            return this;
        }

        /**
         * Clips the global gradient norm before each Adam step.
         *
         * @param maxNorm the largest norm (default 1); 0 turns clipping off
         * @return this
         */
        public Builder optGradientClip(float maxNorm) {
            this.gradientClip = maxNorm;
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public TokenTransformerTrainer build() {
            if (model == null || data == null || manager == null) {
                throw new GenLabException(
                        "TokenTransformerTrainer: setModel, setData and setManager are required.");
            }
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new GenLabException("The learning rate must be > 0, got " + learningRate);
            }
            if (!(pUncond >= 0 && pUncond < 1)) {
                throw new GenLabException(
                        "The unconditional probability must be in [0, 1), got " + pUncond);
            }
            if (!(gradientClip >= 0) || Float.isInfinite(gradientClip)) {
                throw new GenLabException("The gradient clip must be >= 0, got " + gradientClip);
            }
            if (sampleColumns < 1) {
                throw new GenLabException("The sample columns must be >= 1, got " + sampleColumns);
            }
            return new TokenTransformerTrainer(this);
        }
    }
}
