package org.genlab.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.runtime.Devices;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.train.GanTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab train gan}: trains a GAN and writes a run folder. */
@Command(
        name = "gan",
        mixinStandardHelpOptions = true,
        description = {
            "Train a GAN (MLP or DCGAN, optionally class-conditional) on an image data set"
                    + " or a 2D toy.",
            "Writes a run folder: samples/ (a grid from fixed noise every --sample-every"
                    + " steps), losses.csv and losses.png, checkpoint.zip and config.properties (with"
                    + " the seed).",
            "Example: genlab train gan --dataset mnist --model dcgan --run runs/dcgan"
        })
public final class TrainGanCommand implements Callable<Integer> {

    private static final List<String> TOYS = List.of("ring", "moons", "swissroll", "checkerboard");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dataset",
            description =
                    "mnist, fashion-mnist, cifar10, ring, moons, swissroll or checkerboard"
                            + " (required, except with --resume).")
    String dataset;

    @Option(
            names = "--model",
            defaultValue = "dcgan",
            description = "mlp or dcgan (default: ${DEFAULT-VALUE}; toys always use mlp).")
    String model;

    @Option(
            names = "--loss",
            defaultValue = "nonsat",
            description =
                    "minimax, nonsat, hinge, lsgan, wgan-gp or ragan (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(
            names = "--conditional",
            description = "Condition G on the class (embedding) and use a projection D.")
    boolean conditional;

    @Option(names = "--epochs", description = "Passes over the data (default 1 unless --steps).")
    Integer epochs;

    @Option(names = "--steps", description = "Training steps (one G update each).")
    Long steps;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: 64).")
    int batch;

    @Option(
            names = "--lr",
            defaultValue = "2e-4",
            description =
                    "Adam learning rate for G and D, beta1 = 0.5 (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--width", description = "Base width (default 32 for dcgan, 128 for mlp).")
    Integer width;

    @Option(names = "--latent", description = "Size of z (default 100; 8 for toys).")
    Integer latent;

    @Option(names = "--spectral-norm", description = "Spectral normalisation on D's layers.")
    boolean spectralNorm;

    @Option(
            names = "--d-batch-norm",
            negatable = true,
            description =
                    "Batch norm in the DCGAN discriminator, as in Radford et al. (default: on, off"
                            + " with --spectral-norm or wgan-gp).")
    Boolean dBatchNorm;

    @Option(names = "--n-critic", description = "D updates per G update (default 5 for wgan-gp).")
    int nCritic;

    @Option(
            names = "--ema",
            defaultValue = "0.995",
            description =
                    "EMA decay of G used for samples; 0 for none (default: ${DEFAULT-VALUE}).")
    float ema;

    @Option(names = "--run", required = true, description = "Run folder to write.")
    Path run;

    @Option(
            names = "--sample-every",
            description = "Steps between sample grids (default: 1 epoch).")
    Long sampleEvery;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "500",
            description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @picocli.CommandLine.Mixin Overwrite replace;

    @Option(names = "--resume", description = "Continue from the run folder's checkpoint.")
    boolean resume;

    @Option(names = "--limit", description = "Use only the first N training images.")
    Integer limit;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Option(
            names = "--minutes",
            description =
                    "Stop after this much wall time even if --steps are not done (to train models"
                            + " for the same time); the checkpoint and samples are written.")
    Double minutes;

    /** Says once, through the command's output, that D has won outright (see CollapseWatch). */
    private static org.genlab.core.train.TrainingListener collapseWarning(
            org.genlab.gan.train.CollapseWatch watch, PrintWriter out) {
        return new org.genlab.core.train.TrainingListener() {
            @Override
            public void onLog(long step, Map<String, Float> losses) {
                if (watch.check(step, losses)) {
                    out.println();
                    out.println(watch.warning());
                    out.flush();
                }
            }
        };
    }

    @Override
    public Integer call() {
        if (dataset == null) {
            throw new GenLabException(
                    "Give --dataset (mnist, fashion-mnist, cifar10 or a 2D toy).");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean toy = TOYS.contains(dataset.toLowerCase(Locale.ROOT));
        if (toy && !model.equals("mlp")) {
            out.println("2D toy data: using --model mlp.");
            model = "mlp";
        }
        if (!model.equals("mlp") && !model.equals("dcgan")) {
            throw new GenLabException("Unknown --model '" + model + "'. Choose mlp or dcgan.");
        }
        if (epochs != null && steps != null) {
            throw new GenLabException("Give --epochs or --steps, not both.");
        }
        RunFolder.checkTrainable(run, resume, replace.overwrite);
        GanLoss ganLoss = GanLoss.byName(loss);
        long seed = GlobalOptions.seed();
        Map<String, String> config = new LinkedHashMap<>();
        ai.djl.Device device = GlobalOptions.device();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            BatchSource.Shuffled source;
            int size;
            Shape sampleShape;
            int classes = 0;
            List<String> classNames = null;
            float[][] reference = null;
            if (toy) {
                if (conditional) {
                    throw new GenLabException(
                            "2D toys have no classes: drop --conditional for " + dataset + ".");
                }
                ToyDataset data = ToyDataset.byName(dataset, limit != null ? limit : 20000, seed);
                size = data.size();
                Checks.batchFitsData(batch, size, dataset + " points");
                sampleShape = new Shape(2);
                source = BatchSource.shuffled(data, batch, seed);
                reference = java.util.Arrays.copyOf(data.points(), Math.min(1000, size));
            } else {
                ImageDataset.Builder b =
                        ImageDataset.builder()
                                .setName(dataset)
                                .optSplit(Split.TRAIN)
                                .optLog(System.out);
                if (limit != null) {
                    b.optLimit(limit);
                }
                ImageDataset data = b.build();
                size = data.size();
                Checks.batchFitsData(batch, size, dataset + " training images");
                Checks.fitsInMemory(
                        "--batch",
                        batch,
                        (long) data.channels() * data.height() * data.width() * 4,
                        600);
                sampleShape = new Shape(data.channels(), data.height(), data.width());
                if (conditional) {
                    classes = data.numClasses();
                    classNames = data.classNames();
                }
                source = BatchSource.shuffled(data, batch, seed);
            }
            int w = width != null ? width : (model.equals("dcgan") ? 32 : 128);
            int z = latent != null ? latent : (toy ? 8 : 100);
            boolean bnD =
                    dBatchNorm != null
                            ? dBatchNorm
                            : !spectralNorm && ganLoss.gradientPenaltyWeight() == 0;
            GanModels models = new GanModels(model, sampleShape, classes, z, w, spectralNorm, bnD);
            GanTrainer trainer =
                    GanTrainer.builder()
                            .setManager(manager)
                            .optModels(models)
                            .setData(source)
                            .optLoss(ganLoss)
                            .optCriticSteps(nCritic)
                            .optLearningRate(lr)
                            .optEmaDecay(ema)
                            .optSampleCount(toy ? 1000 : (classes > 0 ? classes * 10 : 64))
                            .optSeed(seed)
                            .optModelName(models.kind())
                            .optClassNames(classNames)
                            .optReferencePoints(reference)
                            .build();
            long perEpoch = Math.max(1, source.batchesPerEpoch() / trainer.criticSteps());
            long total = steps != null ? steps : perEpoch * (epochs != null ? epochs : 1);
            long every = sampleEvery != null ? sampleEvery : Math.min(perEpoch, total);
            config.putAll(models.toConfig());
            config.put("dataset", dataset);
            config.put("loss", ganLoss.name());
            config.put("conditional", Boolean.toString(conditional));
            config.put("batch", Integer.toString(batch));
            config.put("lr", Float.toString(lr));
            config.put("nCritic", Integer.toString(trainer.criticSteps()));
            config.put("ema", Float.toString(ema));
            config.put("steps", Long.toString(total));
            config.put("stepsPerEpoch", Long.toString(perEpoch));
            config.put("limit", limit == null ? "" : limit.toString());
            config.put("device", Devices.name(device));
            config.put("seed", Long.toString(seed));
            RunFolder folder = RunFolder.create(run, config);
            out.printf(
                    Locale.ROOT,
                    "Training %s (%s loss%s) on %s: %d images, %d steps (%d per epoch), batch %d,"
                            + " on %s. Run folder: %s%n",
                    models.kind(),
                    ganLoss.name(),
                    conditional ? ", conditional" : "",
                    dataset,
                    size,
                    total,
                    perEpoch,
                    batch,
                    Devices.name(device),
                    run);
            out.flush();
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(trainer)
                            .setManager(manager)
                            .setSteps(total)
                            .setRunFolder(folder)
                            .setSeed(seed)
                            .optSampleEvery(every)
                            .optCheckpointEvery(checkpointEvery)
                            .optResume(resume)
                            .optOverwrite(replace.overwrite)
                            .optProgressBar(!noProgress)
                            .optTimeLimit(
                                    minutes == null
                                            ? null
                                            : java.time.Duration.ofMillis(
                                                    Math.round(minutes * 60_000)))
                            .optLogEvery(25)
                            .optConfig(config)
                            .optTaskName(models.kind() + " " + dataset)
                            .addListener(collapseWarning(trainer.collapseWatch(), out))
                            .build();
            loop.fit();
            out.printf(
                    Locale.ROOT,
                    "Done: %.2f steps/s (%.1f images/s) on %s. Samples in %s%n",
                    loop.getStepsPerSecond(),
                    loop.getStepsPerSecond() * batch * trainer.criticSteps(),
                    Devices.name(device),
                    folder.samplesDir());
            out.flush();
        }
        return 0;
    }
}
