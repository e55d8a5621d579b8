package coursework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.MlpDenoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coursework, written as a student writes it, with GenLab's public API only: a noise schedule
 * defined by a formula, and proof that the trainer and the samplers use it — the network is trained
 * on constant data x_0 = c and records the x_t it is shown, which must be √ᾱ_t c + √(1 − ᾱ_t) ε for
 * MY ᾱ, not the linear or cosine one.
 */
class CustomScheduleTest {

    private static final int T = 20;
    private static final float[] C = {1.5f, -0.5f};

    /** ᾱ_t = exp(−5 t / T), t = 1 … T. */
    static NoiseSchedule exp5() {
        double[] alphaBars = new double[T];
        for (int t = 1; t <= T; t++) {
            alphaBars[t - 1] = Math.exp(-5.0 * t / T);
        }
        return NoiseSchedule.fromAlphaBars("exp5", alphaBars);
    }

    /**
     * An MLP denoiser that writes down the (x_t, t) it is trained on and the t it is sampled at.
     */
    static final class Probe extends LazyBlock {
        final List<float[]> trainedX = new ArrayList<>();
        final List<float[]> trainedT = new ArrayList<>();
        final List<Float> sampledT = new ArrayList<>();
        private final Block mlp = addChildBlock("mlp", new MlpDenoiser(2, 32, 2, 16));

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            if (training) {
                trainedX.add(in.get(0).toFloatArray());
                trainedT.add(in.get(1).toFloatArray());
            } else {
                sampledT.add(in.get(1).toFloatArray()[0]);
            }
            return new NDList(Children.call(mlp, ps, training, in.get(0), in.get(1)));
        }
    }

    @TempDir Path tmp;

    private static Probe newProbe(NDManager m) {
        Probe p = new Probe();
        p.initialize(m, DataType.FLOAT32, new Shape(2, 2), new Shape(2));
        p.sampledT.clear();
        return p;
    }

    private static DiffusionTrainer trainer(NDManager m, Probe probe, BatchSource data) {
        return DiffusionTrainer.builder()
                .setDenoiser(probe)
                .setSampleShape(new Shape(2))
                .optSchedule(exp5())
                .setData(data)
                .setManager(m)
                .optSamples(64, 1, 3, 1f)
                .build();
    }

    private static void train(DiffusionTrainer task, RunFolder run, NDManager m, long steps) {
        TrainingLoop.builder()
                .setTask(task)
                .setSteps(steps)
                .setRunFolder(run)
                .setSeed(3)
                .setManager(m)
                .optSampleEvery(4)
                .optCheckpointEvery(2)
                .optResume(true)
                .optProgressBar(false)
                .optOutput(new PrintStream(OutputStream.nullOutputStream()))
                .build()
                .fit();
    }

    /** Mean of z² with z = (x_t − √ᾱ_t c) / √(1 − ᾱ_t): 1 when x_t was made with this ᾱ. */
    private static double meanSquaredZ(Probe p, NoiseSchedule s) {
        double sum = 0;
        int n = 0;
        for (int b = 0; b < p.trainedX.size(); b++) {
            float[] x = p.trainedX.get(b);
            float[] t = p.trainedT.get(b);
            for (int i = 0; i < t.length; i++) {
                double ab = s.alphaBar((int) t[i]);
                for (int d = 0; d < 2; d++) {
                    double z = (x[2 * i + d] - Math.sqrt(ab) * C[d]) / Math.sqrt(1 - ab);
                    sum += z * z;
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void trainerAndSamplersUseMySchedule() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Long> asked = new ArrayList<>();
            BatchSource constant =
                    (manager, index) -> {
                        asked.add(index);
                        NDArray c = manager.create(C).reshape(1, 2).repeat(0, 256);
                        return new Batch(c, null);
                    };
            RunFolder run = RunFolder.create(tmp.resolve("exp5"));
            Probe probe = newProbe(m);
            train(trainer(m, probe, constant), run, m, 4);

            // training noised x_0 with MY ᾱ_t, at every t in 0 … T−1
            System.out.printf(
                    "mean z² under exp5 %.3f, linear %.3f, cosine %.3f%n",
                    meanSquaredZ(probe, exp5()),
                    meanSquaredZ(probe, NoiseSchedule.linear(T)),
                    meanSquaredZ(probe, NoiseSchedule.cosine(T)));
            assertThat(meanSquaredZ(probe, exp5())).isCloseTo(1.0, within(0.15));
            assertThat(meanSquaredZ(probe, NoiseSchedule.linear(T))).isGreaterThan(2.0);
            assertThat(meanSquaredZ(probe, NoiseSchedule.cosine(T))).isGreaterThan(2.0);
            assertThat(probe.trainedT.stream().flatMap(t -> toList(t).stream()).distinct())
                    .hasSize(T)
                    .allMatch(t -> t >= 0 && t < T && t == Math.rint(t));
            // the progress picture (DDPM, 2D) walked MY T steps down
            assertThat(run.samplesDir().resolve("step-0000004.png")).isRegularFile();
            assertThat(probe.sampledT).hasSize(T).first().isEqualTo((float) (T - 1));
            assertThat(probe.sampledT).last().isEqualTo(0f);

            // the run folder names the schedule; GenLab cannot rebuild the denoiser
            assertThat(run.config())
                    .containsEntry("network", "custom")
                    .containsEntry("networkClass", "coursework.CustomScheduleTest$Probe")
                    .containsEntry("schedule", "exp5")
                    .containsEntry("timesteps", Integer.toString(T))
                    .containsEntry("sampleShape", "(2)");
            assertThatThrownBy(() -> ModelSpec.fromConfig(run.config()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("custom denoiser (coursework.CustomScheduleTest$Probe)")
                    .hasMessageNotContaining("\n");

            // resume: a fresh probe continues with batch 4, then 5
            asked.clear();
            Probe again = newProbe(m);
            DiffusionTrainer resumed = trainer(m, again, constant);
            train(resumed, run, m, 6);
            assertThat(asked).containsExactly(4L, 5L);
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(6);
            assertThat(meanSquaredZ(again, exp5())).isCloseTo(1.0, within(0.2));

            // sample the checkpoint from code with DDPM over my schedule
            Probe loaded = newProbe(m);
            Checkpoint.loadNetwork(
                    run.checkpointFile(),
                    DiffusionTrainer.MODEL,
                    DiffusionTrainer.NETWORK,
                    loaded,
                    true);
            Seeds.seed(1);
            NDArray x =
                    DdpmSampler.builder()
                            .setSchedule(exp5())
                            .optClipDenoised(false)
                            .build()
                            .sample(
                                    Denoiser.of(loaded, Prediction.EPSILON),
                                    m,
                                    new Shape(64, 2),
                                    null);
            assertThat(x.getShape()).isEqualTo(new Shape(64, 2));
            assertThat(x.isNaN().any().getBoolean()).isFalse();
            assertThat(loaded.sampledT).hasSize(T);
        }
    }

    @Test
    void ddimCoefficientsComeFromMySchedule() {
        try (NDManager m = NDManager.newBaseManager()) {
            // with ε̂ = 0, each DDIM step (η = 0) scales x by √(ᾱ_t' / ᾱ_t): x_0 = x_T / √ᾱ_T
            Denoiser noNoise = (xt, t, labels) -> xt.zerosLike();
            NDArray xT = m.create(new float[] {1f, -2f}, new Shape(1, 2));
            NDArray x0 =
                    DdimSampler.builder()
                            .setSchedule(exp5())
                            .optSteps(5)
                            .optClipDenoised(false)
                            .build()
                            .sample(noNoise, xT, null, null);
            float gain = (float) Math.exp(2.5); // 1 / √ᾱ_T = e^{5/2}
            assertThat(x0.toFloatArray())
                    .containsExactly(new float[] {gain, -2 * gain}, within(1e-3f));
        }
    }

    @Test
    void aBuiltInNetworkWithMyScheduleIsRecordedAsSuch() {
        try (NDManager m = NDManager.newBaseManager()) {
            ModelSpec mlp =
                    new ModelSpec("mlp", "cpu", 2, 1, 1, 0, "linear", T, Prediction.EPSILON);
            DiffusionTrainer task =
                    DiffusionTrainer.builder()
                            .setModel(mlp, mlp.build(m))
                            .optSchedule(exp5())
                            .setData(
                                    (manager, i) -> new Batch(manager.zeros(new Shape(8, 2)), null))
                            .setManager(m)
                            .build();
            assertThat(task.config())
                    .containsEntry("network", "mlp")
                    .containsEntry("schedule", "exp5")
                    .containsEntry("timesteps", Integer.toString(T));
            assertThatThrownBy(() -> ModelSpec.fromConfig(task.config()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageStartingWith(
                            "This run was trained with a custom noise schedule ('exp5')")
                    .hasMessageNotContaining("\n");
        }
    }

    private static List<Float> toList(float[] a) {
        List<Float> out = new ArrayList<>();
        for (float v : a) {
            out.add(v);
        }
        return out;
    }
}
