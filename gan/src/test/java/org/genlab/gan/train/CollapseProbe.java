package org.genlab.gan.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingListener;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurements behind {@link CollapseWatch}'s threshold: trains the DCGAN of {@code genlab
 * train gan} (width 32, latent 100, batch norm in D unless spectral norm or WGAN-GP) on MNIST with
 * the given losses and learning rate, and prints every log. Not part of the test suite (its name
 * does not end in Test); run it as
 *
 * <pre>
 * ./mvnw -B -o -pl gan -am test -Dtest=CollapseProbe -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dprobe.loss=nonsat,hinge,lsgan,ragan,minimax,wgan-gp -Dprobe.lr=1 -Dprobe.steps=300
 * </pre>
 *
 * Other settings: {@code probe.limit} (digits, default all), {@code probe.batch} (64), {@code
 * probe.every} (log every, 25), {@code probe.sn} (spectral norm), {@code probe.dir} (keep the run
 * folders there) and {@code probe.sampleEvery} (grids).
 */
class CollapseProbe {
    @TempDir Path dir;

    @Test
    void probe() {
        String[] losses = System.getProperty("probe.loss", "nonsat").split(",");
        float lr = Float.parseFloat(System.getProperty("probe.lr", "1"));
        long steps = Long.getLong("probe.steps", 300);
        int limit = Integer.getInteger("probe.limit", 60000);
        int batch = Integer.getInteger("probe.batch", 64);
        int every = Integer.getInteger("probe.every", 25);
        boolean sn = Boolean.getBoolean("probe.sn");
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(limit).build();
        for (String ln : losses) {
            GanLoss loss = GanLoss.byName(ln);
            try (NDManager m = NDManager.newBaseManager()) {
                SampleSet data = mnist.inMemory(m);
                boolean bnD = !sn && loss.gradientPenaltyWeight() == 0;
                GanModels models =
                        new GanModels("dcgan", new Shape(1, 28, 28), 0, 100, 32, sn, bnD);
                GanTrainer gan =
                        GanTrainer.builder()
                                .setManager(m)
                                .optModels(models)
                                .setData(BatchSource.shuffled(data, batch, 42))
                                .optLoss(loss)
                                .optLearningRate(lr)
                                .optEmaDecay(0.995f)
                                .optSeed(42)
                                .build();
                Path base = Path.of(System.getProperty("probe.dir", dir.toString()));
                RunFolder run = RunFolder.create(base.resolve(ln + lr), Map.of("d", "mnist"));
                long t0 = System.nanoTime();
                TrainingLoop.builder()
                        .setTask(gan)
                        .setManager(m)
                        .setSteps(steps)
                        .setRunFolder(run)
                        .setSeed(42)
                        .optLogEvery(every)
                        .optSampleEvery(Long.getLong("probe.sampleEvery", 0))
                        .optProgressBar(false)
                        .optExplodeThreshold(Float.MAX_VALUE)
                        .optOutput(new PrintStream(new ByteArrayOutputStream()))
                        .addListener(
                                new TrainingListener() {
                                    @Override
                                    public void onLog(long step, Map<String, Float> v) {
                                        StringBuilder sb = new StringBuilder();
                                        v.forEach(
                                                (k, x) ->
                                                        sb.append(
                                                                String.format(
                                                                        Locale.ROOT,
                                                                        " %s=%.4g",
                                                                        k,
                                                                        x)));
                                        System.out.printf(
                                                Locale.ROOT,
                                                "PROBE %s lr=%g step %d%s%n",
                                                ln,
                                                lr,
                                                step,
                                                sb);
                                    }
                                })
                        .build()
                        .fit();
                System.out.printf(
                        Locale.ROOT,
                        "PROBE %s lr=%g done %.1f s%n",
                        ln,
                        lr,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
