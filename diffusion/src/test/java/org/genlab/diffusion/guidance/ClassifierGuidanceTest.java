package org.genlab.diffusion.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Params;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.toy.RingOfGaussians;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.inpaint.Inpainter;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.MlpDenoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classifier guidance (Dhariwal &amp; Nichol 2021): the gradient is the closed-form one for a
 * linear classifier, the wrapper leaves no grad mode or gradients behind, composes with
 * classifier-free guidance and runs under every sampler; and on a ring of four Gaussians an
 * unconditional model guided by a noisy classifier lands in the requested component far more often
 * than unguided, on the DDIM (ε) path and on the flow-matching path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassifierGuidanceTest {

    private static final int K = 4;
    private static final float[][] CENTRES = new RingOfGaussians(K, 1.0, 0.1).centres();

    private final NDManager manager = NDManager.newBaseManager();
    private final NoiseSchedule schedule = NoiseSchedule.linear(1000);
    private SampleSet ring;

    @AfterAll
    void close() {
        manager.close();
    }

    // ---------------------------------------------------------------- closed form, plumbing

    /** log p(y | x) = log softmax(W x + b)_y, ignoring t; W (K × D) rows w_k. */
    private static Block linearClassifier(NDManager m, float[][] w, float[] b) {
        int k = w.length;
        int d = w[0].length;
        float[] flat = new float[k * d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(w[i], 0, flat, i * d, d);
        }
        NDArray wt = m.create(flat, new Shape(k, d)).transpose();
        NDArray bias = m.create(b);
        return new LambdaBlock(in -> new NDList(in.get(0).matMul(wt).add(bias)));
    }

    /** ∇_x log softmax(W x + b)_y = w_y − Σ_k p_k w_k. */
    private static double[] closedForm(float[][] w, float[] b, float[] x, int y) {
        int k = w.length;
        double[] logits = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            logits[i] = b[i];
            for (int j = 0; j < x.length; j++) {
                logits[i] += w[i][j] * x[j];
            }
            max = Math.max(max, logits[i]);
        }
        double z = 0;
        for (int i = 0; i < k; i++) {
            logits[i] = Math.exp(logits[i] - max);
            z += logits[i];
        }
        double[] g = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            g[j] = w[y][j];
            for (int i = 0; i < k; i++) {
                g[j] -= logits[i] / z * w[i][j];
            }
        }
        return g;
    }

    private static Denoiser zeros(Prediction p) {
        return new Denoiser() {
            @Override
            public NDArray predict(NDArray xt, NDArray t, NDArray labels) {
                return xt.zerosLike();
            }

            @Override
            public Prediction prediction() {
                return p;
            }
        };
    }

    @Test
    void shiftMatchesTheClosedFormGradientOfALinearClassifier() {
        float[][] w = {{1f, 0.5f, -1f}, {-2f, 1f, 0f}, {0.3f, -0.7f, 2f}};
        float[] b = {0.1f, -0.2f, 0.3f};
        float[] xs = {0.4f, -1.2f, 0.7f, 1.5f, 0.2f, -0.3f, -0.8f, 0.9f, 0.1f};
        long[] ys = {0, 2, 3}; // 3 = a null class: no guidance
        try (NDManager m = manager.newSubManager()) {
            Block clf = linearClassifier(m, w, b);
            NDArray x = m.create(xs, new Shape(3, 3));
            NDArray y = m.create(ys);
            float scale = 2.5f;
            DdimSampler ddim = DdimSampler.builder().setSchedule(schedule).build();
            FlowSampler flow = FlowSampler.builder().build();
            Object[][] cases = {
                {Prediction.EPSILON, ddim, 500},
                {Prediction.V, ddim, 500},
                {Prediction.V, ddim, 999},
                {Prediction.FLOW, flow, 500},
                {Prediction.FLOW, flow, 1000},
                {Prediction.FLOW, flow, 980}
            };
            for (Object[] c : cases) {
                Prediction p = (Prediction) c[0];
                Sampler s = (Sampler) c[1];
                int step = (Integer) c[2];
                ClassifierGuidance g =
                        ClassifierGuidance.builder()
                                .setDenoiser(zeros(p))
                                .setClassifier(clf)
                                .setSampler(s)
                                .optScale(scale)
                                .build();
                NDArray t = m.full(new Shape(3), (float) step);
                float[] out;
                try (NoGrad scope = NoGrad.enter()) {
                    out = g.predict(x, t, y).toFloatArray();
                }
                double sigma = s.noise(step);
                double a = Math.max(s.signal(step), 0.05);
                // ε̃ − ε̂ = −s σ g,  ṽ − v̂ = −s σ g / a
                double coef = p == Prediction.EPSILON ? scale * sigma : scale * sigma / a;
                for (int r = 0; r < 3; r++) {
                    float[] row = {xs[3 * r], xs[3 * r + 1], xs[3 * r + 2]};
                    double[] grad = ys[r] < 3 ? closedForm(w, b, row, (int) ys[r]) : new double[3];
                    for (int j = 0; j < 3; j++) {
                        double expected = -coef * grad[j];
                        assertThat((double) out[3 * r + j])
                                .as("%s t=%d row %d", p, step, r)
                                .isCloseTo(
                                        expected, within(1e-4 * Math.max(1, Math.abs(expected))));
                    }
                }
            }
            // the bare gradient, and the static formula
            NDArray grad =
                    ClassifierGuidance.builder()
                            .setDenoiser(zeros(Prediction.EPSILON))
                            .setClassifier(clf)
                            .setSampler(ddim)
                            .build()
                            .gradient(x, m.full(new Shape(3), 10f), y);
            double[] g0 = closedForm(w, b, new float[] {xs[0], xs[1], xs[2]}, 0);
            assertThat((double) grad.getFloat(0, 1)).isCloseTo(g0[1], within(1e-5));
            NDArray shifted =
                    ClassifierGuidance.guide(
                            m.ones(new Shape(1)), m.ones(new Shape(1)), Prediction.V, 2f, 0.5, 0.8);
            assertThat(shifted.getFloat(0)).isCloseTo(1f - 2f * 0.8f / 0.5f, within(1e-6f));
        }
    }

    @Test
    void nullLabelsLeaveThePredictionUnchangedAndGradModeIsRestored() {
        try (NDManager m = manager.newSubManager()) {
            NoisyClassifier clf = NoisyClassifier.builder().setNumClasses(K).optWidth(16).build();
            clf.initialize(m, DataType.FLOAT32, new Shape(2, 2), new Shape(2));
            Denoiser model = (xt, t, labels) -> xt.mul(0.5f).add(1f);
            ClassifierGuidance g =
                    ClassifierGuidance.builder()
                            .setDenoiser(model)
                            .setClassifier(clf)
                            .setSampler(DdimSampler.builder().setSchedule(schedule).build())
                            .optScale(3f)
                            .build();
            NDArray x = m.randomNormal(new Shape(8, 2));
            NDArray t = m.full(new Shape(8), 300f);
            try (NoGrad scope = NoGrad.enter()) {
                assertThat(g.predict(x, t, null).toFloatArray())
                        .containsExactly(model.predict(x, t, null).toFloatArray());
                NDArray guided = g.predict(x, t, m.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3}));
                assertThat(JniUtils.isGradMode()).isFalse();
                assertThat(guided.hasGradient()).isFalse();
                assertThat(guided.sub(model.predict(x, t, null)).abs().sum().getFloat())
                        .isGreaterThan(0f);
            }
            // the classifier's own parameters keep no gradient from the guided call
            for (Parameter p : Params.named(clf).values()) {
                if (p.getArray().hasGradient()) {
                    assertThat(p.getArray().getGradient().abs().sum().getFloat()).isZero();
                }
            }
            // a guided sampling run leaves only its result behind
            try (NDManager run = m.newSubManager()) {
                NDArray xT = run.randomNormal(new Shape(8, 2));
                NDArray y = run.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3});
                int before = run.getManagedArrays().size();
                DdimSampler.builder()
                        .setSchedule(schedule)
                        .optSteps(10)
                        .build()
                        .sample(g, xT, y, null);
                assertThat(run.getManagedArrays()).hasSize(before + 1);
            }
            // called with grad mode on, it stays on
            boolean before = JniUtils.isGradMode();
            JniUtils.setGradMode(true);
            try {
                g.predict(x, t, m.create(new long[] {0, 1, 2, 3, 0, 1, 2, 3}));
                assertThat(JniUtils.isGradMode()).isTrue();
            } finally {
                JniUtils.setGradMode(before);
            }
        }
    }

    @Test
    void composesWithClassifierFreeGuidance() {
        float[][] w = {{1f, 0f}, {0f, 1f}, {-1f, 0f}};
        float[] b = {0f, 0f, 0f};
        try (NDManager m = manager.newSubManager()) {
            // a conditional "model": ε = x + label (the null class 3 → 0)
            Denoiser conditional =
                    (xt, t, labels) -> {
                        NDArray l = labels.toType(DataType.FLOAT32, false);
                        l = l.mul(l.lt(3f).toType(DataType.FLOAT32, false));
                        return xt.add(l.reshape(-1, 1));
                    };
            ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(conditional, 3, 2f);
            DdimSampler ddim = DdimSampler.builder().setSchedule(schedule).build();
            ClassifierGuidance both =
                    ClassifierGuidance.builder()
                            .setDenoiser(cfg)
                            .setClassifier(linearClassifier(m, w, b))
                            .setSampler(ddim)
                            .optScale(4f)
                            .build();
            float[] xs = {0.3f, -0.5f, 1f, 2f};
            NDArray x = m.create(xs, new Shape(2, 2));
            NDArray t = m.full(new Shape(2), 700f);
            long[] ys = {1, 2};
            float[] out;
            try (NoGrad scope = NoGrad.enter()) {
                out = both.predict(x, t, m.create(ys)).toFloatArray();
            }
            double sigma = ddim.noise(700);
            for (int r = 0; r < 2; r++) {
                double[] g = closedForm(w, b, new float[] {xs[2 * r], xs[2 * r + 1]}, (int) ys[r]);
                for (int j = 0; j < 2; j++) {
                    // ε_u + w (ε_c − ε_u) − s σ g = x + 2 y − 4 σ g
                    double expected = xs[2 * r + j] + 2.0 * ys[r] - 4 * sigma * g[j];
                    assertThat((double) out[2 * r + j]).isCloseTo(expected, within(1e-4));
                }
            }
        }
    }

    @Test
    void runsUnderEverySampler() {
        // p(y = 0 | x) = sigmoid(4 x_1): label 0 pulls towards x_1 > 0
        float[][] w = {{2f, 0f}, {-2f, 0f}};
        float[] b = {0f, 0f};
        try (NDManager m = manager.newSubManager()) {
            Block clf = linearClassifier(m, w, b);
            NoiseSchedule small = NoiseSchedule.linear(50);
            // the exact ε-predictor of data N(0, I): E[ε | x_t] = σ_t x_t
            Denoiser eps =
                    (xt, t, labels) ->
                            xt.mul(
                                    (float)
                                            Math.sqrt(
                                                    1 - small.alphaBar(Math.round(t.getFloat(0)))));
            // its flow velocity: E[ε − x_0 | x_s] = (2s − 1) x_s / (s² + (1 − s)²)
            Denoiser velocity =
                    new Denoiser() {
                        @Override
                        public NDArray predict(NDArray xt, NDArray t, NDArray labels) {
                            double s = t.getFloat(0) / 1000.0;
                            return xt.mul((float) ((2 * s - 1) / (s * s + (1 - s) * (1 - s))));
                        }

                        @Override
                        public Prediction prediction() {
                            return Prediction.FLOW;
                        }
                    };
            Sampler[] samplers = {
                DdpmSampler.builder().setSchedule(small).build(),
                DdimSampler.builder().setSchedule(small).optSteps(10).build(),
                FlowSampler.builder().optSteps(20).build(),
                FlowSampler.builder().optSteps(10).optMethod(FlowSampler.Method.HEUN).build()
            };
            NDArray labels = m.zeros(new Shape(256), DataType.INT64);
            NDArray known = m.zeros(new Shape(256, 2));
            NDArray mask = m.create(new float[] {0f, 1f}).reshape(1, 2);
            for (Sampler s : samplers) {
                Denoiser model = s instanceof FlowSampler ? velocity : eps;
                String name = s.getClass().getSimpleName();
                float[] mean = new float[2];
                for (int i = 0; i < 2; i++) {
                    Seeds.seed(3);
                    NDArray x =
                            s.sample(guided(model, clf, s, 2f * i), m, new Shape(256, 2), labels);
                    assertThat(x.isNaN().any().getBoolean()).isFalse();
                    mean[i] = x.get(":, 0").mean().getFloat();
                }
                // guided samples move towards x_1 > 0, unguided ones stay centred
                assertThat(mean[0]).as(name).isBetween(-0.25f, 0.25f);
                assertThat(mean[1]).as(name).isGreaterThan(mean[0] + 0.4f);
                Seeds.seed(3);
                NDArray painted =
                        Inpainter.builder()
                                .setSampler(s)
                                .build()
                                .inpaint(guided(model, clf, s, 2f), known, mask, labels, null);
                assertThat(painted.get(":, 0").mean().getFloat())
                        .as("inpainted " + name)
                        .isGreaterThan(mean[0] + 0.4f);
                assertThat(painted.get(":, 1").abs().max().getFloat()).isZero();
            }
            assertThat(JniUtils.isGradMode()).isFalse();
        }
    }

    @Test
    void trainsUnderTheTrainingLoopAndReloadsFromItsCheckpoint(@TempDir Path dir) {
        try (NDManager m = manager.newSubManager()) {
            Seeds.seed(8);
            NoisyClassifier clf = NoisyClassifier.builder().setNumClasses(K).optWidth(16).build();
            clf.initialize(m, DataType.FLOAT32, new Shape(2, 2), new Shape(2));
            NoisyClassifierTrainer trainer =
                    NoisyClassifierTrainer.builder()
                            .setClassifier(clf)
                            .setData(BatchSource.shuffled(ring(), 64, 8))
                            .setManager(m)
                            .optSchedule(NoiseSchedule.cosine(1000))
                            .build();
            RunFolder run = RunFolder.create(dir.resolve("run"));
            LossHistory history =
                    TrainingLoop.builder()
                            .setTask(trainer)
                            .setSteps(30)
                            .setRunFolder(run)
                            .setSeed(8)
                            .setManager(m)
                            .optLogEvery(10)
                            .optProgressBar(false)
                            .optOutput(new PrintStream(OutputStream.nullOutputStream()))
                            .build()
                            .fit();
            assertThat(history.names()).containsExactly("ce", "acc");
            assertThat(run.config())
                    .containsEntry("schedule", "cosine")
                    .containsEntry("classes", "4");
            NoisyClassifier fresh = NoisyClassifier.builder().setNumClasses(K).optWidth(16).build();
            fresh.initialize(m, DataType.FLOAT32, new Shape(2, 2), new Shape(2));
            Checkpoint.loadNetwork(
                    run.checkpointFile(),
                    NoisyClassifierTrainer.MODEL,
                    NoisyClassifierTrainer.NETWORK,
                    fresh,
                    false);
            NDList in = new NDList(m.randomNormal(new Shape(5, 2)), m.full(new Shape(5), 40f));
            ParameterStore ps = new ParameterStore(m, false);
            assertThat(fresh.forward(ps, in, false).singletonOrThrow().toFloatArray())
                    .containsExactly(clf.forward(ps, in, false).singletonOrThrow().toFloatArray());
        }
    }

    @Test
    void refusesMisuse() {
        try (NDManager m = manager.newSubManager()) {
            Block clf = linearClassifier(m, new float[][] {{1f}, {-1f}}, new float[] {0f, 0f});
            DdimSampler ddim = DdimSampler.builder().setSchedule(schedule).build();
            FlowSampler flow = FlowSampler.builder().build();
            for (float bad : new float[] {Float.NaN, -1f}) {
                assertThatThrownBy(() -> guided(zeros(Prediction.EPSILON), clf, ddim, bad))
                        .isInstanceOf(GenLabException.class)
                        .hasMessageContaining("scale");
            }
            assertThatThrownBy(() -> guided(zeros(Prediction.FLOW), clf, ddim, 1f))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("FlowSampler");
            assertThatThrownBy(() -> guided(zeros(Prediction.EPSILON), clf, flow, 1f))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("DdimSampler");
            assertThatThrownBy(() -> ClassifierGuidance.builder().setClassifier(clf).build())
                    .isInstanceOf(GenLabException.class);
            assertThatThrownBy(() -> NoisyClassifier.builder().build())
                    .isInstanceOf(GenLabException.class);
            BatchSource unlabelled = (mm, i) -> new Batch(mm.zeros(new Shape(4, 1)), null);
            NoisyClassifierTrainer.Builder both =
                    NoisyClassifierTrainer.builder()
                            .setClassifier(clf)
                            .setData(unlabelled)
                            .setManager(m)
                            .optSchedule(schedule)
                            .optFlow();
            assertThatThrownBy(both::build).isInstanceOf(GenLabException.class);
            NoisyClassifierTrainer.Builder neither =
                    NoisyClassifierTrainer.builder()
                            .setClassifier(clf)
                            .setData(unlabelled)
                            .setManager(m);
            assertThatThrownBy(neither::build).isInstanceOf(GenLabException.class);
            NoisyClassifierTrainer trainer =
                    NoisyClassifierTrainer.builder()
                            .setClassifier(clf)
                            .setData(unlabelled)
                            .setManager(m)
                            .optFlow()
                            .build();
            assertThatThrownBy(() -> trainer.step(0, m))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("labelled");
        }
    }

    @Test
    void noisyClassifierAdaptsToPointsPixelsAndLatents() {
        try (NDManager m = manager.newSubManager()) {
            Shape[] inputs = {
                new Shape(3, 2),
                new Shape(3, 1, 28, 28),
                new Shape(3, 4, 7, 7),
                new Shape(3, 4, 8, 8)
            };
            for (Shape in : inputs) {
                NoisyClassifier clf =
                        NoisyClassifier.builder().setNumClasses(10).optWidth(16).build();
                clf.initialize(m, DataType.FLOAT32, in, new Shape(3));
                assertThat(clf.isConvolutional()).isEqualTo(in.dimension() == 4);
                assertThat(clf.getOutputShapes(new Shape[] {in, new Shape(3)})[0])
                        .isEqualTo(new Shape(3, 10));
                NDArray logits =
                        clf.forward(
                                        new ParameterStore(m, false),
                                        new NDList(m.randomNormal(in), m.full(new Shape(3), 5f)),
                                        false)
                                .singletonOrThrow();
                assertThat(logits.getShape()).isEqualTo(new Shape(3, 10));
                // the guidance gradient has the input's shape; one training step runs
                NDArray x = m.randomNormal(in);
                NDArray grad =
                        ClassifierGuidance.builder()
                                .setDenoiser(zeros(Prediction.EPSILON))
                                .setClassifier(clf)
                                .setSampler(DdpmSampler.builder().setSchedule(schedule).build())
                                .build()
                                .gradient(
                                        x,
                                        m.full(new Shape(3), 100f),
                                        m.create(new long[] {1, 2, 3}));
                assertThat(grad.getShape()).isEqualTo(in);
                assertThat(grad.abs().sum().getFloat()).isGreaterThan(0f);
                NDArray y = m.create(new long[] {1, 2, 3});
                NoisyClassifierTrainer trainer =
                        NoisyClassifierTrainer.builder()
                                .setClassifier(clf)
                                .setData((mm, i) -> new Batch(x, y))
                                .setManager(m)
                                .optSchedule(schedule)
                                .build();
                try (NoGrad scope = NoGrad.enter()) {
                    Map<String, Float> losses = trainer.step(0, m).toFloats();
                    assertThat(losses.get("ce")).isPositive().isFinite();
                    assertThat(losses.get("acc")).isBetween(0f, 1f);
                }
            }
        }
    }

    private static ClassifierGuidance guided(Denoiser d, Block clf, Sampler s, float scale) {
        return ClassifierGuidance.builder()
                .setDenoiser(d)
                .setClassifier(clf)
                .setSampler(s)
                .optScale(scale)
                .build();
    }

    // ---------------------------------------------------------------- trained, on the ring

    private SampleSet ring() {
        if (ring == null) {
            ring =
                    ToyDataset.builder()
                            .setDistribution(new RingOfGaussians(K, 1.0, 0.1))
                            .setSize(4000)
                            .optSeed(7)
                            .build()
                            .inMemory(manager);
        }
        return ring;
    }

    /** The fraction of samples within 0.5 of the centre of their requested component. */
    private static double onRing(NDArray x) {
        float[] p = x.toFloatArray();
        int hits = 0;
        for (int i = 0; i < p.length / 2; i++) {
            for (float[] c : CENTRES) {
                double dx = p[2 * i] - c[0];
                double dy = p[2 * i + 1] - c[1];
                if (dx * dx + dy * dy < 0.25) {
                    hits++;
                }
            }
        }
        return 2.0 * hits / p.length;
    }

    private static double inComponent(NDArray x, int[] requested) {
        float[] p = x.toFloatArray();
        int hits = 0;
        for (int i = 0; i < requested.length; i++) {
            float[] c = CENTRES[requested[i]];
            double dx = p[2 * i] - c[0];
            double dy = p[2 * i + 1] - c[1];
            if (dx * dx + dy * dy < 0.25) {
                hits++;
            }
        }
        return (double) hits / requested.length;
    }

    private DiffusionTrainer trainDenoiser(Prediction prediction, int steps) {
        Seeds.seed(51);
        MlpDenoiser net = new MlpDenoiser(2, 128, 3, 32);
        net.initialize(manager);
        DiffusionTrainer.Builder b =
                DiffusionTrainer.builder()
                        .setDenoiser(net)
                        .setSampleShape(new Shape(2))
                        .optPrediction(prediction)
                        .setData(BatchSource.shuffled(ring(), 256, 5))
                        .setManager(manager)
                        .optLearningRate(1e-3f)
                        .optEmaDecay(0.99f);
        if (prediction != Prediction.FLOW) {
            b.optSchedule(schedule);
        }
        DiffusionTrainer trainer = b.build();
        try (NoGrad scope = NoGrad.enter()) {
            for (int step = 0; step < steps; step++) {
                Seeds.seed(Seeds.forStep(5, step));
                try (NDManager sub = manager.newSubManager()) {
                    trainer.step(step, sub);
                }
            }
        }
        return trainer;
    }

    private NoisyClassifierTrainer trainClassifier(boolean flow, int steps) {
        Seeds.seed(61);
        NoisyClassifier clf = NoisyClassifier.builder().setNumClasses(K).optWidth(64).build();
        clf.initialize(manager, DataType.FLOAT32, new Shape(2, 2), new Shape(2));
        NoisyClassifierTrainer.Builder b =
                NoisyClassifierTrainer.builder()
                        .setClassifier(clf)
                        .setData(BatchSource.shuffled(ring(), 256, 6))
                        .setManager(manager)
                        .optLearningRate(2e-3f);
        NoisyClassifierTrainer trainer = (flow ? b.optFlow() : b.optSchedule(schedule)).build();
        try (NoGrad scope = NoGrad.enter()) {
            for (int step = 0; step < steps; step++) {
                Seeds.seed(Seeds.forStep(6, step));
                try (NDManager sub = manager.newSubManager()) {
                    Map<String, Float> losses = trainer.step(step, sub).toFloats();
                    if (step == steps - 1) {
                        System.out.printf(
                                Locale.ROOT,
                                "%s classifier, last training batch (all noise levels): ce %.3f,"
                                        + " acc %.3f%n",
                                flow ? "flow" : "DDPM",
                                losses.get("ce"),
                                losses.get("acc"));
                        assertThat(losses.get("acc")).isBetween(0.4f, 1f);
                    }
                }
            }
        }
        return trainer;
    }

    private void report(String path, NoisyClassifierTrainer clf, int[] times) {
        try (NDManager m = manager.newSubManager()) {
            int[] idx = new int[2000];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            NDArray x0 = ring().samples(m, idx);
            NDArray y = ring().labels(m, idx);
            StringBuilder sb = new StringBuilder(path + " classifier accuracy:");
            for (int t : times) {
                Seeds.seed(t);
                sb.append(String.format(Locale.ROOT, " t=%d %.3f", t, clf.accuracy(x0, y, t)));
            }
            System.out.println(sb);
        }
    }

    /** Samples 400 points, 100 per requested component, at each scale; returns the fractions. */
    private double[] guidedFractions(
            Denoiser model, Block clf, Sampler sampler, float[] scales, String path) {
        int n = 400;
        int[] requested = new int[n];
        long[] ys = new long[n];
        for (int i = 0; i < n; i++) {
            requested[i] = i % K;
            ys[i] = i % K;
        }
        double[] out = new double[scales.length];
        try (NDManager m = manager.newSubManager()) {
            NDArray labels = m.create(ys);
            long[] nanos = new long[scales.length];
            for (int i = 0; i < scales.length; i++) {
                Seeds.seed(99);
                NDArray xT = m.randomNormal(new Shape(n, 2));
                Denoiser d = guided(model, clf, sampler, scales[i]);
                long t0 = System.nanoTime();
                NDArray x = sampler.sample(d, xT, labels, null);
                nanos[i] = System.nanoTime() - t0;
                out[i] = inComponent(x, requested);
                System.out.printf(
                        Locale.ROOT,
                        "%s guidance scale %.0f: %.1f %% in the requested component, %.1f %% in"
                                + " any (%.2f ms/step, batch %d)%n",
                        path,
                        scales[i],
                        100 * out[i],
                        100 * onRing(x),
                        nanos[i] / 1e6 / sampler.timesteps().length,
                        n);
            }
        }
        return out;
    }

    /** Best-of-3 milliseconds per sampling step, 400 points, without and with guidance. */
    private void timeGuidance(Denoiser model, Block clf, Sampler sampler, String path) {
        try (NDManager m = manager.newSubManager()) {
            NDArray labels = m.zeros(new Shape(400), DataType.INT64);
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = 0; r < 3; r++) {
                for (int i = 0; i < 2; i++) {
                    Denoiser d = guided(model, clf, sampler, i);
                    NDArray xT = m.randomNormal(new Shape(400, 2));
                    long t0 = System.nanoTime();
                    sampler.sample(d, xT, labels, null).toFloatArray();
                    best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e6);
                }
            }
            int n = sampler.timesteps().length;
            System.out.printf(
                    Locale.ROOT,
                    "%s: %.2f ms/step unguided, %.2f ms/step guided: +%.2f ms/step (×%.1f),"
                            + " batch 400, %d steps%n",
                    path,
                    best[0] / n,
                    best[1] / n,
                    (best[1] - best[0]) / n,
                    best[1] / best[0],
                    n);
        }
    }

    @Test
    void guidesAnUnconditionalDdimModelToTheRequestedComponent() {
        DiffusionTrainer model = trainDenoiser(Prediction.EPSILON, 3000);
        NoisyClassifierTrainer clf = trainClassifier(false, 800);
        report("DDPM path", clf, new int[] {0, 250, 500, 750, 999});
        Sampler ddim =
                DdimSampler.builder()
                        .setSchedule(schedule)
                        .optSteps(50)
                        .optClipDenoised(false)
                        .build();
        double[] f =
                model.ema()
                        .withWeights(
                                () ->
                                        guidedFractions(
                                                model.denoiser(),
                                                clf.classifier(),
                                                ddim,
                                                new float[] {0f, 1f, 3f, 10f},
                                                "DDIM"));
        timeGuidance(model.denoiser(), clf.classifier(), ddim, "DDIM-50");
        // unguided ≈ 1/K; guided at s = 1 and 3 far more often (s = 10 over-guides: see the log)
        assertThat(f[0]).isBetween(0.1, 0.45);
        assertThat(f[1]).isGreaterThan(f[0] + 0.4);
        assertThat(f[2]).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void guidesAnUnconditionalFlowModelToTheRequestedComponent() {
        DiffusionTrainer model = trainDenoiser(Prediction.FLOW, 1500);
        NoisyClassifierTrainer clf = trainClassifier(true, 800);
        report("flow path", clf, new int[] {0, 250, 500, 750, 1000});
        FlowSampler euler = FlowSampler.builder().optSteps(50).build();
        double[] f =
                model.ema()
                        .withWeights(
                                () ->
                                        guidedFractions(
                                                model.denoiser(),
                                                clf.classifier(),
                                                euler,
                                                new float[] {0f, 1f, 3f, 10f},
                                                "flow Euler"));
        FlowSampler heun =
                FlowSampler.builder().optSteps(25).optMethod(FlowSampler.Method.HEUN).build();
        double[] h =
                model.ema()
                        .withWeights(
                                () ->
                                        guidedFractions(
                                                model.denoiser(),
                                                clf.classifier(),
                                                heun,
                                                new float[] {0f, 3f},
                                                "flow Heun"));
        assertThat(h[1]).isGreaterThanOrEqualTo(0.8);
        timeGuidance(model.denoiser(), clf.classifier(), euler, "flow Euler-50");
        // unguided ≈ 1/K; guided at s = 1 and 3 far more often (s = 10 over-guides: see the log)
        assertThat(f[0]).isBetween(0.1, 0.45);
        assertThat(f[1]).isGreaterThan(f[0] + 0.4);
        assertThat(f[2]).isGreaterThanOrEqualTo(0.8);
    }
}
