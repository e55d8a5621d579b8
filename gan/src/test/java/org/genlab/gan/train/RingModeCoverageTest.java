package org.genlab.gan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.chart.Charts;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.nn.MlpDiscriminator;
import org.genlab.gan.nn.MlpGenerator;
import org.genlab.gan.sample.GanSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small MLP GAN on the ring of eight Gaussians covers at least 6 of the 8 modes. */
class RingModeCoverageTest {

    static final float SIGMA = 0.05f;

    @TempDir Path dir;

    @Test
    void mlpGanCoversAtLeastSixOfEightModes() {
        Ring ring = new Ring(SIGMA);
        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(m)
                            .setGenerator(
                                    MlpGenerator.builder()
                                            .setSampleShape(new Shape(2))
                                            .optLatentDim(8)
                                            .optWidth(128)
                                            .build())
                            .setDiscriminator(
                                    MlpDiscriminator.builder()
                                            .setSampleShape(new Shape(2))
                                            .optWidth(128)
                                            .build())
                            .setData(ring.source(256))
                            .optLoss(GanLoss.nonSaturating())
                            .optLearningRate(1e-3f)
                            .optEmaDecay(0f)
                            .optSampleCount(1000)
                            .optReferencePoints(Charts.toPoints(ring.sample(m, 1000)))
                            .optModelName("mlp-gan")
                            .optSeed(1)
                            .build();
            RunFolder run = RunFolder.create(dir.resolve("ring"), Map.of("dataset", "ring"));
            long t0 = System.nanoTime();
            TrainingLoop.builder()
                    .setTask(gan)
                    .setManager(m)
                    .setSteps(Long.getLong("ring.steps", 3000))
                    .setRunFolder(run)
                    .setSeed(1)
                    .optProgressBar(false)
                    .optSampleEvery(Long.getLong("ring.steps", 3000))
                    .optTaskName("ring")
                    .build()
                    .fit();
            System.out.printf("ring: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            GanSampler sampler = GanSampler.builder().setGenerator(gan.generator()).build();
            float[][] pts;
            try (NDManager sub = m.newSubManager()) {
                org.genlab.core.runtime.Seeds.seed(123);
                NDArray x = sampler.sample(sub, 2000, null, 0);
                pts = Charts.toPoints(x);
                sampler.writePoints(
                        x,
                        Charts.toPoints(ring.sample(sub, 1000)),
                        gan.discriminator(),
                        gan.parameterStore(),
                        Path.of("target", "ring-samples.png"),
                        "ring test");
            }
            int covered = ring.coveredModes(pts, 0.02);
            System.out.println("ring: covered modes " + covered);
            assertThat(covered).isGreaterThanOrEqualTo(6);
            assertThat(Files.list(run.samplesDir()).count()).isGreaterThan(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
