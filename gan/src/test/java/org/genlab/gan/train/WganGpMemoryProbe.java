package org.genlab.gan.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.datasets.ImageDataset;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind {@link org.genlab.gan.loss.GradientPenalty}'s memory note: WGAN-GP on the
 * MNIST DCGAN (width 32, latent 100, no batch norm in the critic, n_critic 5, batch 32, all 60,000
 * digits on the device), stepped as {@link org.genlab.core.train.TrainingLoop} steps it (a
 * sub-manager per step, losses read every 25 steps), printing the resident memory ({@code VmRSS})
 * every {@code probe.every} steps. Not part of the test suite (its name does not end in Test); run
 * it with the heap pinned, so that RSS shows native memory only:
 *
 * <pre>
 * ./mvnw -B -o -pl gan -am test -Dtest=WganGpMemoryProbe -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dprobe.steps=2000 -Dprobe.every=100 -Dai.djl.pytorch.num_threads=1 \
 *   -Dgenlab.test.argLine="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dai.djl.offline=true"
 * </pre>
 *
 * {@code -Dprobe.print=true} prints every step's losses instead (to compare two versions).
 */
class WganGpMemoryProbe {

    private static double rssMib() throws IOException {
        for (String l :
                Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.substring(6).trim().split("\\s+")[0]) / 1024.0;
            }
        }
        return -1;
    }

    @Test
    void probe() throws IOException {
        long steps = Long.getLong("probe.steps", 200);
        long every = Long.getLong("probe.every", 25);
        boolean print = Boolean.getBoolean("probe.print");
        ImageDataset mnist = ImageDataset.builder().setName("mnist").build();
        try (NDManager m = NDManager.newBaseManager();
                NoGrad scope = NoGrad.enter()) {
            SampleSet data = mnist.inMemory(m);
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(m)
                            .optModels(
                                    new GanModels(
                                            "dcgan",
                                            new Shape(1, 28, 28),
                                            0,
                                            100,
                                            32,
                                            false,
                                            false))
                            .setData(BatchSource.shuffled(data, 32, 42))
                            .optLoss(GanLoss.wganGp(10f))
                            .optEmaDecay(0.995f)
                            .optSeed(42)
                            .build();
            long t0 = System.nanoTime();
            System.out.printf(Locale.ROOT, "wgan-gp memory: step 0 rss %.1f MiB%n", rssMib());
            for (long s = 0; s < steps; s++) {
                Seeds.seed(Seeds.forStep(42, s));
                try (NDManager sub = m.newSubManager()) {
                    Losses l = gan.step(s, sub);
                    if (print) {
                        System.out.println("wgan-gp losses: step " + (s + 1) + " " + l.toFloats());
                    } else if ((s + 1) % 25 == 0) {
                        l.toFloats();
                    }
                }
                if ((s + 1) % every == 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "wgan-gp memory: step %d rss %.1f MiB, %.0f s%n",
                            s + 1,
                            rssMib(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }
}
