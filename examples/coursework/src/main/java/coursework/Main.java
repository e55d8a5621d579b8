package coursework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.genlab.core.data.BatchSource;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.DatasetRegistry;
import org.genlab.datasets.ImageDataset;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.train.GanTrainer;

/**
 * Trains my GAN (my generator, my discriminator, the relativistic loss) and my diffusion model (my
 * denoiser, the sqrt schedule) on MNIST with GenLab's trainers, each in two halves — the second
 * resumes from the checkpoint of the first — and writes their samples.
 *
 * <pre>
 *   mvn package exec:java -Dexec.args="--steps 300 --out target/coursework"
 * </pre>
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        long steps = 300;
        Path out = Path.of("target", "coursework");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException(
                        "Unknown option " + args[i] + ": use --steps N and --out DIR.");
            }
        }
        DatasetRegistry.fetch("mnist", null, System.out);
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(8192).build();

        try (NDManager manager = NDManager.newBaseManager()) {
            // ---- my GAN ----
            Generator g = MyGenerator.create(64);
            Discriminator d = MyDiscriminator.create();
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(manager)
                            .setGenerator(g)
                            .setDiscriminator(d)
                            .setData(BatchSource.shuffled(mnist, 64, 42))
                            .optLoss(new RelativisticLoss())
                            .build();
            LossHistory ganLosses = trainInTwoHalves(gan, manager, out.resolve("gan"), steps);
            System.out.println("GAN losses at the end: " + last(ganLosses));

            // ---- my diffusion model ----
            TinyDenoiser net = new TinyDenoiser(32);
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
            NoiseSchedule schedule = SqrtSchedule.of(1000);
            DiffusionTrainer ddpm =
                    DiffusionTrainer.builder()
                            .setManager(manager)
                            .setDenoiser(net)
                            .setSampleShape(new Shape(1, 28, 28))
                            .optSchedule(schedule)
                            .setData(BatchSource.shuffled(mnist.inMemory(manager), 64, 42))
                            .optLearningRate(1e-3f)
                            .build();
            LossHistory ddpmLosses = trainInTwoHalves(ddpm, manager, out.resolve("ddpm"), steps);
            System.out.println("Diffusion losses at the end: " + last(ddpmLosses));

            // sample 16 digits with DDIM-50 from the EMA weights, with my schedule
            try (NDManager m = manager.newSubManager()) {
                DdimSampler ddim = DdimSampler.builder().setSchedule(schedule).optSteps(50).build();
                NDArray x =
                        ddpm.ema()
                                .withWeights(
                                        () ->
                                                ddim.sample(
                                                        ddpm.denoiser(),
                                                        m,
                                                        new Shape(16, 1, 28, 28),
                                                        null));
                Path file = out.resolve("ddpm-ddim50.png");
                PngWriter.write(
                        SampleGrid.builder().setImages(x).optColumns(8).optScale(2).build().render(),
                        file,
                        Provenance.builder().optModel("coursework TinyDenoiser").build());
                System.out.println("Wrote " + file);
            }
        }
    }

    private static String last(LossHistory h) {
        StringBuilder s = new StringBuilder();
        for (String name : h.names()) {
            java.util.List<Float> v = h.series(name);
            s.append(String.format(java.util.Locale.ROOT, "%s %.3f  ", name, v.get(v.size() - 1)));
        }
        return s.toString().trim();
    }

    /** Trains to half the steps, then resumes from the checkpoint up to all of them. */
    private static LossHistory trainInTwoHalves(
            org.genlab.core.train.TrainingTask task, NDManager manager, Path dir, long steps) {
        RunFolder run = RunFolder.create(dir);
        LossHistory history = null;
        for (long until : new long[] {steps / 2, steps}) {
            history =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setManager(manager)
                            .setRunFolder(run)
                            .setSteps(until)
                            .optResume(true)
                            .optSampleEvery(Math.max(1, steps / 2))
                            .build()
                            .fit();
        }
        System.out.println("Samples, losses and checkpoint in " + dir);
        return history;
    }
}
