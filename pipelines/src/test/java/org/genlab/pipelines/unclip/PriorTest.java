package org.genlab.pipelines.unclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both priors on constructed problems: their shapes, a regression prior learning a known map, and a
 * diffusion prior that puts each caption's samples in its own cluster and, unlike regression,
 * varies them.
 */
class PriorTest {

    private static final int D = 8;

    @TempDir Path tmp;

    @Test
    void bothPriorsMapUnitTextEmbeddingsToUnitImageEmbeddings() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(1);
            NDArray zt = RegressionPrior.normalize(m.randomNormal(new Shape(5, D)));
            Prior regression = RegressionPrior.create(D, 32, 2, m);
            DiffusionPrior diffusion =
                    DiffusionPrior.create(D, 32, 2, m)
                            .withSampling(new DiffusionPrior.Sampling(6, 1f, 2f, 2));
            for (Prior p : new Prior[] {regression, diffusion}) {
                NDArray z = p.sample(zt, 7);
                assertThat(z.getShape()).as(p.kind()).isEqualTo(new Shape(5, D));
                float[] norms = z.norm(new int[] {1}).toFloatArray();
                for (float n : norms) {
                    assertThat(n)
                            .as(p.kind())
                            .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
            // the same seed gives the same diffusion samples, another seed others
            float[] a = diffusion.sample(zt, 7).toFloatArray();
            assertThat(diffusion.sample(zt, 7).toFloatArray()).containsExactly(a);
            assertThat(diffusion.sample(zt, 8).toFloatArray()).isNotEqualTo(a);
            assertThat(diffusion.toConfig())
                    .containsEntry("prior.kind", "diffusion")
                    .containsEntry("prior.dim", "8")
                    .containsEntry("prior.schedule", "cosine");
            assertThatThrownBy(() -> new RegressionPrior(new PriorNetwork(D, 8, 1, 16), m))
                    .isInstanceOf(GenLabException.class);
        }
    }

    @Test
    void aRegressionPriorLearnsALinearMapAndReopensFromItsFolder() {
        Path dir = tmp.resolve("regression");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(2);
            NDArray a = m.randomNormal(new Shape(D, D));
            NDArray zt = RegressionPrior.normalize(m.randomNormal(new Shape(2048, D)));
            NDArray zi = RegressionPrior.normalize(zt.matMul(a));
            PriorData data = PriorData.of(zi, zt, new int[2048]);
            Prior prior = RegressionPrior.create(D, 64, 2, m);
            train(prior, data, dir, 60, m);

            Prior back = Prior.open(dir, m);
            assertThat(back).isInstanceOf(RegressionPrior.class);
            NDArray testT = RegressionPrior.normalize(m.randomNormal(new Shape(500, D)));
            NDArray testI = RegressionPrior.normalize(testT.matMul(a));
            double cos = PriorEvaluation.meanCosine(back.sample(testT, 0), testI);
            double untrained =
                    PriorEvaluation.meanCosine(
                            RegressionPrior.create(D, 64, 2, m).sample(testT, 0), testI);
            assertThat(cos).as("trained vs untrained %s", untrained).isGreaterThan(0.95);
            assertThat(untrained).isLessThan(0.5);
        }
    }

    @Test
    void aDiffusionPriorSamplesTheRightClusterWithVarietyWhereRegressionGivesOnePoint() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(3);
            // caption e0 → images around e2, caption e1 → images around e3
            int n = 2048;
            int[] labels = new int[n];
            float[][] t = new float[n][D];
            float[][] c = new float[n][D];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2;
                t[i][labels[i]] = 1;
                c[i][2 + labels[i]] = 1;
            }
            NDArray zt = m.create(t);
            NDArray centres = m.create(c);
            NDArray zi =
                    RegressionPrior.normalize(
                            centres.add(m.randomNormal(new Shape(n, D)).mul(0.3f)));
            PriorData data = PriorData.of(zi, zt, labels);
            DiffusionPrior diffusion =
                    new DiffusionPrior(
                            new PriorNetwork(D, 64, 1, 32),
                            NoiseSchedule.cosine(100),
                            0.1f,
                            new DiffusionPrior.Sampling(25, 1f, 1f, 1),
                            m);
            Prior regression = RegressionPrior.create(D, 64, 1, m);
            train(diffusion, data, tmp.resolve("diffusion"), 150, m);
            train(regression, data, tmp.resolve("regression"), 60, m);

            // "class prompts" = the two cluster centres
            NDArray classes = m.create(new float[][] {c[0], c[1]});
            PriorData test =
                    PriorData.of(
                            zi.get("0:200"), zt.get("0:200"), java.util.Arrays.copyOf(labels, 200));
            PriorEvaluation.Result d = PriorEvaluation.evaluate(diffusion, test, classes);
            PriorEvaluation.Result r = PriorEvaluation.evaluate(regression, test, classes);
            assertThat(d.zeroShot()).as(d.toString()).isGreaterThan(0.9);
            assertThat(r.zeroShot()).as(r.toString()).isGreaterThan(0.95);
            // the data's own spread: two images of one cluster are ≈ 0.4 apart in cosine distance
            assertThat(d.diversity()).as(d.toString()).isBetween(0.1, 0.8);
            assertThat(r.diversity()).as(r.toString()).isLessThan(1e-4);
            // eight draws for each of the two captions
            NDArray two = zt.get("0:2");
            assertThat(PriorEvaluation.diversity(diffusion, two, 8, 1)).isGreaterThan(0.1);
            assertThat(PriorEvaluation.diversity(regression, two, 8, 1)).isLessThan(1e-4);
            // regression's one point is the cluster's mean direction: closer on average than
            // samples
            assertThat(r.cosine()).isGreaterThan(d.cosine() - 0.05);
            assertThat(d.toConfig()).containsKeys("eval.zeroShot", "eval.diversity");
        }
    }

    private static void train(Prior prior, PriorData data, Path dir, int steps, NDManager m) {
        PriorTrainer trainer =
                PriorTrainer.builder()
                        .setPrior(prior)
                        .setData(BatchSource.shuffled(data.pairs(), 128, 5))
                        .setManager(m)
                        .optLearningRate(1e-2f)
                        .optEmaDecay(0.99f)
                        .build();
        TrainingLoop.builder()
                .setTask(trainer)
                .setSteps(steps)
                .setRunFolder(RunFolder.create(dir))
                .setManager(m)
                .optProgressBar(false)
                .build()
                .fit();
    }
}
