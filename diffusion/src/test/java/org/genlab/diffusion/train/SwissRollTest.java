package org.genlab.diffusion.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.genlab.core.chart.Charts;
import org.genlab.core.data.BatchSource;
import org.genlab.core.runtime.Seeds;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.junit.jupiter.api.Test;

/**
 * The MLP denoiser learns the swiss roll: DDPM samples lie as close to the training points as
 * held-out points do (within a factor of two).
 */
class SwissRollTest {

    private static final int STEPS = 10000;

    private static double meanNearest(float[][] query, float[][] ref) {
        double total = 0;
        for (float[] q : query) {
            double best = Double.MAX_VALUE;
            for (float[] r : ref) {
                double dx = q[0] - r[0];
                double dy = q[1] - r[1];
                best = Math.min(best, dx * dx + dy * dy);
            }
            total += Math.sqrt(best);
        }
        return total / query.length;
    }

    @Test
    void mlpDenoiserLearnsTheSwissRoll() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(5);
            ToyDataset trainSet = ToyDataset.byName("swissroll", 2000, 1);
            float[][] train = trainSet.points();
            float[][] heldOut = ToyDataset.byName("swissroll", 500, 2).points();
            ModelSpec spec =
                    new ModelSpec("mlp", "cpu", 2, 1, 1, 0, "linear", 1000, Prediction.EPSILON);
            Block net = spec.build(m);
            DiffusionTrainer trainer =
                    DiffusionTrainer.builder()
                            .setModel(spec, net)
                            .setData(BatchSource.shuffled(trainSet.inMemory(m), 256, 5))
                            .setManager(m)
                            .optLearningRate(1e-3f)
                            .optEmaDecay(0.995f)
                            .build();
            float first = 0;
            float last = 0;
            for (int step = 0; step < STEPS; step++) {
                Seeds.seed(Seeds.forStep(5, step));
                try (NDManager sub = m.newSubManager()) {
                    float l = trainer.step(step, sub).toFloats().get("mse");
                    if (step < 50) {
                        first += l / 50;
                    }
                    if (step >= STEPS - 50) {
                        last += l / 50;
                    }
                }
            }
            assertThat(last).isLessThan(first);
            Sampler s =
                    DdimSampler.builder()
                            .setSchedule(trainer.schedule())
                            .optSteps(100)
                            .optEta(1f)
                            .optClipDenoised(false)
                            .build();
            float[][] samples =
                    trainer.ema()
                            .withWeights(
                                    () -> {
                                        Seeds.seed(99);
                                        NDArray x =
                                                s.sample(
                                                        trainer.denoiser(),
                                                        m,
                                                        new Shape(500, 2),
                                                        null);
                                        return Charts.toPoints(x);
                                    });
            double real = meanNearest(heldOut, train);
            double fake = meanNearest(samples, train);
            System.out.printf("swiss roll: samples %.4f, held-out %.4f%n", fake, real);
            assertThat(fake).isLessThan(2 * real);
        }
    }
}
