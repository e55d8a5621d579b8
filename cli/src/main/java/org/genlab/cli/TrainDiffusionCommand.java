package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab train diffusion}: trains a DDPM (UNet for images, MLP for 2D toy data). */
@Command(
        name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
            "Train a denoising diffusion model (Ho et al. 2020): a UNet on MNIST,"
                    + " Fashion-MNIST or CIFAR-10, or an MLP on a 2D toy set. Progress samples (DDIM,"
                    + " EMA weights) go to RUN/samples, the checkpoint to RUN/checkpoint.zip; Ctrl-C"
                    + " saves, --resume continues."
        })
public final class TrainDiffusionCommand implements Callable<Integer> {

    private static final String TOYS = "ring|moons|swissroll|checkerboard";

    @Option(
            names = "--dataset",
            required = true,
            description = "mnist, fashion-mnist, cifar10, ring, moons, swissroll or checkerboard.")
    String dataset;

    @Option(names = "--schedule", defaultValue = "linear", description = "linear or cosine.")
    String schedule;

    @Option(names = "--timesteps", defaultValue = "1000", description = "T (default 1000).")
    int timesteps;

    @Option(
            names = "--conditional",
            description = "Class-conditional, with label dropout for classifier-free guidance.")
    boolean conditional;

    @Option(
            names = "--preset",
            defaultValue = "cpu",
            description = "UNet size: cpu (base 32, 2 levels) or gpu (base 128, Ho et al.).")
    String preset;

    @Option(names = "--prediction", defaultValue = "epsilon", description = "epsilon or v.")
    String prediction;

    @Option(
            names = "--steps",
            description = "Optimisation steps (default 3000 for images, 10000 for 2D data).")
    Long steps;

    @Option(names = "--epochs", description = "Passes over the data (instead of --steps).")
    Double epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default 64).")
    int batch;

    @Option(names = "--lr", description = "Learning rate (default 1e-3; 2e-4 with --preset gpu).")
    Float lr;

    @Option(names = "--ema-decay", defaultValue = "0.999", description = "EMA decay.")
    float emaDecay;

    @Option(
            names = "--label-dropout",
            defaultValue = "0.1",
            description = "Probability of the null label when --conditional.")
    float labelDropout;

    @Option(names = "--run", description = "Run folder (default runs/diffusion-DATASET).")
    Path run;

    @Option(names = "--sample-every", defaultValue = "500", description = "Steps between samples.")
    long sampleEvery;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "1000",
            description = "Steps between checkpoints.")
    long checkpointEvery;

    @Option(names = "--resume", description = "Continue the run's checkpoint.")
    boolean resume;

    @Option(
            names = "--init-from",
            description =
                    "Start from the weights of another run of the same model (fine-tuning); the"
                            + " optimizer starts afresh.")
    Path initFrom;

    @Option(names = "--limit", description = "Use only the first N training items.")
    Integer limit;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        validate();
        boolean toy = dataset.matches(TOYS);
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        Path dir = run != null ? run : Path.of("runs", "diffusion-" + dataset);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Seeds.seed(seed);
            // the whole set on the device once: each batch is one gather there
            SampleSet all;
            float[][] reference = null;
            ModelSpec spec;
            Prediction pred = Prediction.valueOf(prediction.toUpperCase(Locale.ROOT));
            if (toy) {
                int n = limit != null ? limit : 10_000;
                ToyDataset points = ToyDataset.byName(dataset, n, seed);
                reference = points.points();
                all = SampleSet.of(points.points(manager), null);
                spec = new ModelSpec("mlp", preset, 2, 1, 1, 0, schedule, timesteps, pred);
            } else {
                ImageDataset images = loadImages();
                all = images.inMemory(manager);
                spec =
                        new ModelSpec(
                                "unet",
                                preset,
                                images.channels(),
                                images.height(),
                                images.width(),
                                conditional ? 10 : 0,
                                schedule,
                                timesteps,
                                pred);
            }
            long n = all.size();
            BatchSource.Shuffled batches = BatchSource.shuffled(all, batch, seed);
            long total =
                    steps != null
                            ? steps
                            : epochs != null
                                    ? (long) Math.ceil(epochs * batches.batchesPerEpoch())
                                    : toy ? 10_000 : 3000;
            // small networks train faster at 1e-3; Ho et al.'s 2e-4 suits the large GPU UNet
            float rate = lr != null ? lr : toy || "cpu".equals(preset) ? 1e-3f : 2e-4f;
            Block model = spec.build(manager);
            Map<String, String> extra = new LinkedHashMap<>();
            if (initFrom != null) {
                RunFolder from = RunFolder.open(initFrom);
                if (!ModelSpec.fromConfig(from.config()).equals(spec)) {
                    throw new GenLabException(
                            initFrom + " holds a different model; --init-from needs the same one.");
                }
                org.genlab.core.checkpoint.Checkpoint.loadNetwork(
                        from.checkpointFile(), ModelSpec.MODEL, ModelSpec.NETWORK, model, false);
                extra.put("initFrom", initFrom.toString());
            }
            DiffusionTrainer task =
                    DiffusionTrainer.builder()
                            .setModel(spec, model)
                            .setData(batches)
                            .setManager(manager)
                            .optLearningRate(rate)
                            .optEmaDecay(emaDecay)
                            .optLabelDropout(labelDropout)
                            .optSamples(toy ? 2000 : conditional ? 40 : 64, 50, seed, 3f)
                            .optRunName(dir.getFileName().toString())
                            .optReferencePoints(reference)
                            .build();
            // the trainer describes the model (ModelSpec keys, lr, emaDecay, labelDropout)
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.put("dataset", dataset);
            config.put("items", Long.toString(n));
            config.put("batch", Integer.toString(batch));
            config.put("steps", Long.toString(total));
            config.put("device", Devices.name(device));
            config.putAll(extra);
            RunFolder folder = RunFolder.create(dir, config);
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setSteps(total)
                            .setRunFolder(folder)
                            .setSeed(seed)
                            .setManager(manager)
                            .optSampleEvery(sampleEvery)
                            .optCheckpointEvery(checkpointEvery)
                            .optResume(resume)
                            .optTaskName("diffusion " + dataset)
                            .optProgressBar(!noProgress)
                            .optConfig(config)
                            .build();
            loop.fit();
            double sps = loop.getStepsPerSecond();
            if (toy && !loop.wasInterrupted()) {
                writeToyPictures(task, first(all, manager, 1000), reference, folder, seed);
            } else if (!toy) {
                Seeds.seed(seed);
                org.genlab.core.image.PngWriter.write(
                        org.genlab.diffusion.viz.Trajectories.forwardStrip(
                                task.schedule(), first(all, manager, 1), 11, 3),
                        folder.samplesDir().resolve("forward-strip.png"),
                        org.genlab.core.image.Provenance.builder()
                                .optModel("forward process q(x_t|x_0), " + spec.schedule())
                                .optRun(dir.getFileName().toString())
                                .optSeed(seed)
                                .build());
            }
            System.out.printf(
                    Locale.ROOT,
                    "Trained %s on %s (%s): %.1f ms/step at batch %d (%.1f images/s). Run: %s%n",
                    model,
                    dataset,
                    Devices.name(device),
                    sps > 0 ? 1000 / sps : Double.NaN,
                    batch,
                    sps * batch,
                    dir);
        }
        return 0;
    }

    private static void writeToyPictures(
            DiffusionTrainer task, NDArray sub, float[][] reference, RunFolder folder, long seed) {
        org.genlab.diffusion.schedule.NoiseSchedule s = task.schedule();
        org.genlab.core.image.Provenance prov =
                org.genlab.core.image.Provenance.builder()
                        .optModel("diffusion mlp")
                        .optRun(folder.dir().getFileName().toString())
                        .optSeed(seed)
                        .build();
        Path dir = folder.samplesDir();
        Seeds.seed(seed);
        org.genlab.core.image.AnimatedGif.write(
                dir.resolve("forward.gif"),
                org.genlab.diffusion.viz.PointClouds.forward(s, sub, 25, 480),
                120,
                1500,
                prov);
        // the reverse process and the drift fields, with the EMA weights
        org.genlab.diffusion.nn.Denoiser d = task.denoiser();
        task.ema()
                .withWeights(
                        () -> {
                            org.genlab.diffusion.viz.PointClouds.Recorder rec =
                                    org.genlab.diffusion.viz.PointClouds.reverse(
                                            Math.max(1, s.steps() / 25), 480);
                            Seeds.seed(seed);
                            org.genlab.diffusion.sampler.Sampler ddpm =
                                    org.genlab.diffusion.sampler.DdpmSampler.builder()
                                            .setSchedule(s)
                                            .optClipDenoised(false)
                                            .build();
                            ddpm.sample(
                                    d, sub.getManager().randomNormal(sub.getShape()), null, rec);
                            org.genlab.core.image.AnimatedGif.write(
                                    dir.resolve("reverse.gif"), rec.frames(), 120, 1500, prov);
                            for (double f : new double[] {0.05, 0.25, 0.5, 0.9}) {
                                int t = (int) Math.round(f * (s.steps() - 1));
                                org.genlab.core.image.PngWriter.write(
                                        org.genlab.diffusion.viz.PointClouds.driftField(
                                                d, s, t, reference, 2.5f, 21, 520),
                                        dir.resolve(
                                                String.format(
                                                        Locale.ROOT, "drift-t%04d.png", t + 1)),
                                        prov);
                            }
                            return rec.frames().size();
                        });
    }

    /** The first {@code n} items of a set (fewer if it is smaller). */
    private static NDArray first(SampleSet set, NDManager manager, int n) {
        int[] idx = new int[Math.min(n, set.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return set.samples(manager, idx);
    }

    /** Reads the training split (--limit items). */
    private ImageDataset loadImages() {
        ImageDataset.Builder b =
                ImageDataset.builder().setName(dataset).optSplit(Split.TRAIN).optLog(System.out);
        if (limit != null) {
            b.optLimit(limit);
        }
        return b.build();
    }

    private void validate() {
        if (!dataset.matches("mnist|fashion-mnist|cifar10|" + TOYS)) {
            throw new GenLabException(
                    "Unknown --dataset '"
                            + dataset
                            + "': use mnist, fashion-mnist, cifar10, ring, moons, swissroll or"
                            + " checkerboard.");
        }
        if (!schedule.matches("linear|cosine")) {
            throw new GenLabException(
                    "Unknown --schedule '" + schedule + "': use linear or cosine.");
        }
        if (!preset.matches("cpu|gpu")) {
            throw new GenLabException("Unknown --preset '" + preset + "': use cpu or gpu.");
        }
        if (!prediction.matches("epsilon|v")) {
            throw new GenLabException(
                    "Unknown --prediction '" + prediction + "': use epsilon or v.");
        }
        if (steps != null && epochs != null) {
            throw new GenLabException("Give --steps or --epochs, not both.");
        }
        if ((steps != null && steps < 1) || (epochs != null && epochs <= 0)) {
            throw new GenLabException("--steps and --epochs must be positive.");
        }
        if (batch < 1 || timesteps < 2) {
            throw new GenLabException("--batch must be ≥ 1 and --timesteps ≥ 2.");
        }
        if (conditional && dataset.matches(TOYS)) {
            throw new GenLabException("--conditional needs a labelled image data set.");
        }
        if (limit != null && limit < 1) {
            throw new GenLabException("--limit must be ≥ 1.");
        }
    }
}
