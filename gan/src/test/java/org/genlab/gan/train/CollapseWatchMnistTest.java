package org.genlab.gan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small DCGAN on 512 MNIST digits: at lr 1 D wins outright and the trainer warns once; at lr 2e-4
 * it stays silent.
 */
class CollapseWatchMnistTest {

    @TempDir Path dir;

    /** Trains 150 steps, logging every 10; returns what the trainer printed. */
    private String train(float lr, String name, List<Float> lossD) {
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(512).build();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager()) {
            SampleSet data = mnist.inMemory(m);
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(m)
                            .optModels(
                                    new GanModels("dcgan", new Shape(1, 28, 28), 0, 32, 8, false))
                            .setData(BatchSource.shuffled(data, 16, 5))
                            .optLoss(GanLoss.nonSaturating())
                            .optLearningRate(lr)
                            .optEmaDecay(0f)
                            .optSeed(5)
                            .optLog(new PrintStream(printed, true, StandardCharsets.UTF_8))
                            .build();
            long t0 = System.nanoTime();
            LossHistory h =
                    TrainingLoop.builder()
                            .setTask(gan)
                            .setManager(m)
                            .setSteps(150)
                            .setRunFolder(RunFolder.create(dir.resolve(name), Map.of("lr", name)))
                            .setSeed(5)
                            .optLogEvery(10)
                            .optProgressBar(false)
                            .optOutput(new PrintStream(new ByteArrayOutputStream()))
                            .addListener(gan.collapseWatch())
                            .build()
                            .fit();
            lossD.addAll(h.series("D"));
            System.out.printf(
                    "collapse watch, lr %s: %.1f s, D %s%n",
                    name, (System.nanoTime() - t0) / 1e9, h.series("D"));
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void lrOneCollapsesAndWarnsOnce() {
        List<Float> lossD = new java.util.ArrayList<>();
        String out = train(1f, "1", lossD);
        assertThat(lossD.get(lossD.size() - 1)).isLessThan(1e-3f); // D has won
        assertThat(out.split("Warning: the discriminator has won outright", -1)).hasSize(2);
        assertThat(out).contains("--lr").contains("--spectral-norm");
    }

    @Test
    void aHealthyRunStaysSilent() {
        List<Float> lossD = new java.util.ArrayList<>();
        String out = train(2e-4f, "2e-4", lossD);
        assertThat(out).isEmpty();
        assertThat(lossD).allMatch(d -> d > 0.01f);
    }
}
