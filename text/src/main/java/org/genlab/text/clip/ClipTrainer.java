package org.genlab.text.clip;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.nn.Gradients;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * Trains a {@link Clip} as a task of the core {@code TrainingLoop}. One step (Radford et al. 2021):
 *
 * <pre>
 *   I, T, s = Clip(x, ids)                       a batch of images and their captions
 *   L = ContrastiveLoss.symmetric(I, T, s)       the paper's loss
 *   Adam step on both towers, the projections and log s
 * </pre>
 *
 * <pre>{@code
 * ClipTrainer trainer = ClipTrainer.builder().setModel(clip).setTokenizer(tok)
 *         .setData(BatchSource.shuffled(captioned, 128, seed)).setManager(manager).build();
 * RunFolder run = RunFolder.create(dir);
 * trainer.writeVocabulary(run.dir());                 // Clip.load needs vocab.txt
 * TrainingLoop.builder().setTask(trainer).setSteps(300).setRunFolder(run)
 *         .setManager(manager).build().fit();
 * }</pre>
 *
 * <p>The data's labels are (B, L) token ids, one caption per image ({@code SampleSet.of(images,
 * ids)}). Losses logged: {@code loss} and {@code scale} (s = 1/τ).
 */
public final class ClipTrainer implements TrainingTask {

    /** The default learning rate. */
    public static final float DEFAULT_LEARNING_RATE = 1e-3f;

    private final Clip model;
    private final Tokenizer tokenizer;
    private final BatchSource data;
    private final float learningRate;
    private final float gradientClip;
    private final Adam adam;
    private final ParameterStore ps;
    private final TrainState state;

    private ClipTrainer(Builder b) {
        model = b.model;
        tokenizer = b.tokenizer;
        data = b.data;
        learningRate = b.learningRate;
        gradientClip = b.gradientClip;
        if (!model.isInitialized()) {
            model.initialize(b.manager);
        }
        adam = Adam.builder().optLearningRate(learningRate).build();
        ps = new ParameterStore(b.manager, false);
        state =
                TrainState.builder()
                        .setModel(ClipSpec.MODEL)
                        .addNetwork(Clip.NETWORK, model, adam, null)
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
        NDArray ids = batch.labels();
        if (ids == null || ids.getShape().dimension() != 2) {
            throw new GenLabException(
                    "ClipTrainer needs captions: the data's labels must be (B, L) token ids, got "
                            + (ids == null ? "none" : ids.getShape().toString())
                            + ". Build the set with SampleSet.of(images, tokenizer.encode(...)).");
        }
        NDArray loss;
        NDArray scale;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(model);
            // I, T, s = Clip(x, ids)
            NDList out = model.forward(ps, new NDList(batch.samples(), ids), true);
            scale = out.get(2);
            // L = ½ (CE(s I Tᵀ, diag) + CE(s T Iᵀ, diag)): equal captions need no special case
            // (identical ids give identical T; see ContrastiveLoss)
            loss = ContrastiveLoss.symmetric(out.get(0), out.get(1), scale);
            gc.backward(loss);
        }
        if (gradientClip > 0) {
            Gradients.clipNorm(model, gradientClip);
        }
        adam.step(model);
        return new Losses().put("loss", loss).put("scale", scale.stopGradient());
    }

    @Override
    public TrainState state() {
        return state;
    }

    /** Writes the vocabulary into the samples folder's run folder when it is not there yet. */
    @Override
    public void writeSamples(long step, Path folder) {
        Path run = folder.toAbsolutePath().getParent();
        if (run != null && !run.resolve(Tokenizer.FILE_NAME).toFile().exists()) {
            writeVocabulary(run);
        }
    }

    /**
     * Writes {@code vocab.txt} into a run folder, where {@link Clip#load} reads it.
     *
     * @param runDir the run folder
     */
    public void writeVocabulary(Path runDir) {
        tokenizer.save(runDir.resolve(Tokenizer.FILE_NAME));
    }

    /**
     * Describes the run: the model's {@link ClipSpec}, the learning rate and the gradient clip.
     *
     * @return key to value
     */
    @Override
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>(model.toConfig());
        c.put("clip.vocabulary", Tokenizer.FILE_NAME);
        c.put("lr", Float.toString(learningRate));
        c.put("gradientClip", Float.toString(gradientClip));
        return c;
    }

    /**
     * Returns the model being trained.
     *
     * @return the model
     */
    public Clip model() {
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

    /** Builds a {@link ClipTrainer}. */
    public static final class Builder {
        private Clip model;
        private Tokenizer tokenizer;
        private BatchSource data;
        private NDManager manager;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private float gradientClip = 1f;

        Builder() {}

        /**
         * Sets the model (initialised here if it is not yet).
         *
         * @param model the model
         * @return this
         */
        public Builder setModel(Clip model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the tokenizer the captions were encoded with (saved as {@code vocab.txt}).
         *
         * @param tokenizer the tokenizer
         * @return this
         */
        public Builder setTokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * Sets the batches: images with (B, L) caption ids as labels.
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
         * @param lr the rate (default {@value ClipTrainer#DEFAULT_LEARNING_RATE})
         * @return this
         */
        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        /**
         * Clips the global gradient norm before each step.
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
        public ClipTrainer build() {
            if (model == null || tokenizer == null || data == null || manager == null) {
                throw new GenLabException(
                        "ClipTrainer: setModel, setTokenizer, setData and setManager are"
                                + " required.");
            }
            if (tokenizer.size() != model.spec().vocabularySize()) {
                throw new GenLabException(
                        "The tokenizer has "
                                + tokenizer.size()
                                + " ids but the model's text encoder "
                                + model.spec().vocabularySize()
                                + ": build the model with setVocabularySize(tokenizer.size()).");
            }
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new GenLabException("The learning rate must be > 0, got " + learningRate);
            }
            if (!(gradientClip >= 0) || Float.isInfinite(gradientClip)) {
                throw new GenLabException("The gradient clip must be >= 0, got " + gradientClip);
            }
            return new ClipTrainer(this);
        }
    }
}
