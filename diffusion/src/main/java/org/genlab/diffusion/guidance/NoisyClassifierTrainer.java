package org.genlab.diffusion.guidance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.nn.Gradients;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.schedule.ForwardProcess;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * Trains the noise-aware classifier p_φ(y | x_t, t) of classifier guidance (Dhariwal &amp; Nichol,
 * <i>Diffusion Models Beat GANs on Image Synthesis</i>, NeurIPS 2021, §4) on noisy samples of the
 * SAME path the diffusion model walks, as a task of the core {@code TrainingLoop}. One step, as
 * {@link #step} computes it:
 *
 * <pre>
 *   (x_0, y) ~ data
 *   DDPM/DDIM path:  t ~ U{0, …, T−1},  x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε      (Ho et al. 2020, eq. 4)
 *   flow path:       s ~ U(0, 1),       x_s = (1 − s) x_0 + s ε,  t = s · 1000   (Lipman et al.)
 *   L = − log softmax(f_φ(x_t, t))_y                                          (cross-entropy)
 *   φ ← Adam(φ, ∇_φ L)
 * </pre>
 *
 * and it reports the accuracy on the batch as the loss entry {@code acc} (computed on the device:
 * no sync unless the loop logs the step).
 *
 * <pre>{@code
 * NoisyClassifier clf = NoisyClassifier.builder().setNumClasses(10).build();
 * clf.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
 * NoisyClassifierTrainer trainer = NoisyClassifierTrainer.builder()
 *         .setClassifier(clf).setData(BatchSource.shuffled(mnist, 128, seed)).setManager(manager)
 *         .optSchedule(NoiseSchedule.linear(1000))                // or .optFlow()
 *         .build();
 * TrainingLoop.builder().setTask(trainer).setSteps(2000).setRunFolder(run).setSeed(seed)
 *         .setManager(manager).build().fit();
 * }</pre>
 *
 * <p>Notation: {@code x0} = x_0, {@code y} = y, {@code eps} = ε, {@code t} = t (int64 steps),
 * {@code s} = s, {@code xt} = x_t, {@code time} = the network time (t, or s · 1000), {@code logits}
 * = f_φ(x_t, t), {@code logp} = log p_φ(· | x_t, t), {@code ce} = L, {@code numClasses} = K.
 */
public final class NoisyClassifierTrainer implements TrainingTask {

    /** The model name written into checkpoints. */
    public static final String MODEL = "noisy-classifier";

    /** The classifier's name inside checkpoints. */
    public static final String NETWORK = "classifier";

    private final Block classifier;
    private final BatchSource data;
    private final NoiseSchedule schedule;
    private final NoiseSchedule.Tensors tables;
    private final Adam adam;
    private final ParameterStore ps;
    private final TrainState state;
    private final Map<String, String> config;

    private NoisyClassifierTrainer(Builder b) {
        classifier = b.classifier;
        data = b.data;
        schedule = b.schedule;
        tables = schedule == null ? null : schedule.tensors(b.manager);
        adam = Adam.builder().optLearningRate(b.learningRate).build();
        ps = new ParameterStore(b.manager, false);
        state =
                TrainState.builder()
                        .setModel(MODEL)
                        .addNetwork(NETWORK, classifier, adam, null)
                        .build();
        config = new LinkedHashMap<>();
        config.put("network", classifier.getClass().getSimpleName());
        config.put("networkClass", classifier.getClass().getName());
        if (classifier instanceof NoisyClassifier) {
            config.put("classes", Integer.toString(((NoisyClassifier) classifier).numClasses()));
        }
        if (schedule == null) {
            config.put("schedule", "flow");
            config.put("timesteps", Integer.toString(FlowPath.TIME_SCALE));
        } else {
            config.put("schedule", schedule.name());
            config.put("timesteps", Integer.toString(schedule.steps()));
        }
        config.put("lr", Float.toString(b.learningRate));
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
        NDArray x0 = batch.samples();
        NDArray y = batch.labels();
        if (y == null) {
            throw new GenLabException(
                    "A noisy classifier trains on labelled data: the batch has none.");
        }
        NDList noisy = noisy(x0);
        NDArray logits;
        NDArray ce;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(classifier);
            logits = classifier.forward(ps, noisy, true).singletonOrThrow();
            // L = − log softmax(f_φ(x_t, t))_y, averaged over the batch
            ce = crossEntropy(logits, y);
            gc.backward(ce);
        }
        adam.step(classifier);
        // accuracy on the batch, left on the device
        NDArray acc =
                logits.argMax(1)
                        .eq(y.toType(DataType.INT64, false))
                        .toType(DataType.FLOAT32, false)
                        .mean();
        return new Losses().put("ce", ce).put("acc", acc);
    }

    /**
     * Noises a clean batch on the trainer's path at random times: {@code (x_t, network time)}.
     *
     * @param x0 clean data (B, …)
     * @return x_t and the network time t (float32 (B)), in {@code x0}'s manager
     */
    private NDList noisy(NDArray x0) {
        NDManager m = x0.getManager();
        Shape b = new Shape(x0.getShape().get(0));
        // ε ~ N(0, I)
        NDArray eps = m.randomNormal(x0.getShape());
        if (tables == null) {
            // s ~ U(0, 1),  x_s = (1 − s) x_0 + s ε,  network time s · 1000
            NDArray s = m.randomUniform(0f, 1f, b);
            return new NDList(FlowPath.sample(x0, s, eps), FlowPath.networkTime(s));
        }
        // t ~ U{0, …, T−1},  x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
        NDArray t = m.randomInteger(0, tables.steps(), b, DataType.INT64);
        return new NDList(
                ForwardProcess.sample(tables, x0, t, eps), t.toType(DataType.FLOAT32, false));
    }

    /**
     * The cross-entropy − log softmax(logits)_y, averaged over the batch.
     *
     * @param logits (B, K)
     * @param y int labels (B) in 0 … K−1
     * @return the mean loss, a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray y) {
        int numClasses = (int) logits.getShape().get(1);
        NDArray logp = logits.logSoftmax(1);
        NDArray oneHot = y.toType(DataType.INT64, false).oneHot(numClasses);
        return logp.mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /**
     * Measures the classifier's accuracy at one noise level: noises {@code x0} to the network time
     * {@code t} (a step 0 … T−1 of the schedule, or s · 1000 on the flow path) and counts how often
     * the most likely class is the label. One device sync; meant for notebooks and reports.
     *
     * @param x0 clean data (B, …)
     * @param y labels (B)
     * @param t the network time
     * @return the fraction of correct predictions
     */
    public float accuracy(NDArray x0, NDArray y, int t) {
        try (NDManager m = x0.getManager().newSubManager();
                NoGrad scope = NoGrad.enter()) {
            NDArray x = x0.duplicate();
            x.attach(m);
            NDArray eps = m.randomNormal(x.getShape());
            NDArray xt;
            if (schedule == null) {
                double s = FlowPath.time(t);
                // x_s = (1 − s) x_0 + s ε
                xt = x.mul((float) (1 - s)).add(eps.mul((float) s));
            } else {
                // x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
                xt = ForwardProcess.sample(schedule, x, t, eps);
            }
            NDArray time = m.full(new Shape(x0.getShape().get(0)), (float) t);
            NDArray logits =
                    classifier
                            .forward(new ParameterStore(m, false), new NDList(xt, time), false)
                            .singletonOrThrow();
            return logits.argMax(1)
                    .eq(y.toType(DataType.INT64, false))
                    .toType(DataType.FLOAT32, false)
                    .mean()
                    .getFloat();
        }
    }

    @Override
    public TrainState state() {
        return state;
    }

    @Override
    public Map<String, String> config() {
        return new LinkedHashMap<>(config);
    }

    /**
     * Returns the classifier being trained.
     *
     * @return p_φ
     */
    public Block classifier() {
        return classifier;
    }

    /**
     * Returns the noise schedule of the path ({@code null} on the flow path).
     *
     * @return the schedule
     */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Builds a {@link NoisyClassifierTrainer}. */
    public static final class Builder {
        private Block classifier;
        private BatchSource data;
        private NDManager manager;
        private NoiseSchedule schedule;
        private boolean flow;
        private float learningRate = 1e-3f;

        private Builder() {}

        /**
         * Sets the classifier: an initialised block taking {@code (x_t, t float32 (B))} and
         * returning logits (B, K), usually a {@link NoisyClassifier}.
         *
         * @param classifier f_φ
         * @return this
         */
        public Builder setClassifier(Block classifier) {
            this.classifier = classifier;
            return this;
        }

        /**
         * Sets where labelled batches come from, e.g. {@code BatchSource.shuffled(set, 128, seed)}.
         *
         * @param data the source
         * @return this
         */
        public Builder setData(BatchSource data) {
            this.data = data;
            return this;
        }

        /**
         * Sets the manager holding the classifier (schedule tables go there too).
         *
         * @param manager the manager
         * @return this
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Trains on the DDPM/DDIM path x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε of this schedule (the one the
         * diffusion model was trained with). Exactly one of this and {@link #optFlow()}.
         *
         * @param schedule the schedule
         * @return this
         */
        public Builder optSchedule(NoiseSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Trains on the straight flow-matching path x_s = (1 − s) x_0 + s ε, network time s · 1000.
         * Exactly one of this and {@link #optSchedule}.
         *
         * @return this
         */
        public Builder optFlow() {
            this.flow = true;
            return this;
        }

        /**
         * Sets Adam's learning rate (default 10⁻³).
         *
         * @param lr the rate
         * @return this
         */
        public Builder optLearningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public NoisyClassifierTrainer build() {
            if (classifier == null || data == null || manager == null) {
                throw new GenLabException(
                        "NoisyClassifierTrainer: setClassifier, setData and setManager are required.");
            }
            if ((schedule == null) == !flow) {
                throw new GenLabException(
                        "NoisyClassifierTrainer: give exactly one path, optSchedule(schedule) or"
                                + " optFlow().");
            }
            if (!(learningRate > 0)) {
                throw new GenLabException(
                        "NoisyClassifierTrainer: the learning rate must be > 0, got "
                                + learningRate);
            }
            return new NoisyClassifierTrainer(this);
        }
    }
}
