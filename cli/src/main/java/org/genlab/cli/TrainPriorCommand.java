package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.pipelines.unclip.DiffusionPrior;
import org.genlab.pipelines.unclip.Prior;
import org.genlab.pipelines.unclip.PriorData;
import org.genlab.pipelines.unclip.PriorEvaluation;
import org.genlab.pipelines.unclip.PriorNetwork;
import org.genlab.pipelines.unclip.PriorTrainer;
import org.genlab.pipelines.unclip.RegressionPrior;
import org.genlab.text.clip.Clip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code genlab train prior}: trains unCLIP's prior from CLIP text to CLIP image embeddings. */
@Command(
        name = "prior",
        mixinStandardHelpOptions = true,
        description = {
            "Train the prior of unCLIP (Ramesh et al. 2022, §2.2) on a CLIP run's embeddings: from"
                    + " a caption's CLIP text embedding z_t to a CLIP image embedding z_i. --kind"
                    + " regression predicts one z_i per caption (cosine loss); --kind diffusion is a"
                    + " DDPM over z_i conditioned on z_t that predicts z_i directly, with caption"
                    + " dropout for guidance. The pairs are embedded once from the CLIP run's"
                    + " training images and their captions. At the end it reports, on test"
                    + " captions, the cosine to the true image embedding, the CLIP zero-shot"
                    + " accuracy of the predicted embeddings and their diversity.",
            "Example: genlab train prior --clip runs/clip-mnist --kind diffusion --steps 3000"
        })
public final class TrainPriorCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--clip",
            required = true,
            description = "The CLIP run (genlab train clip) whose embeddings the prior maps.")
    Path clip;

    @Option(
            names = "--kind",
            defaultValue = "diffusion",
            description = "diffusion (default) or regression.")
    String kind;

    @Option(names = "--run", description = "Run folder (default runs/prior-KIND).")
    Path run;

    @Option(names = "--steps", defaultValue = "3000", description = "Optimisation steps.")
    long steps;

    @Option(names = "--batch", defaultValue = "256", description = "Pairs per step (default 256).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate (default 1e-3).")
    float lr;

    @Option(
            names = "--width",
            defaultValue = "256",
            description = "Hidden units of the MLP (default 256).")
    int width;

    @Option(
            names = "--depth",
            defaultValue = "3",
            description = "Residual layers of the MLP (default 3).")
    int depth;

    @Option(
            names = "--timesteps",
            defaultValue = "1000",
            description =
                    "Diffusion steps T of the cosine schedule (default 1000; diffusion only).")
    int timesteps;

    @Option(
            names = "--caption-dropout",
            defaultValue = "0.1",
            description = "Probability of training without the caption (default 0.1; diffusion).")
    float captionDropout;

    @Option(
            names = "--guidance",
            defaultValue = "1",
            description = "Classifier-free guidance scale when sampling (default 1 = none).")
    float guidance;

    @Option(
            names = "--candidates",
            defaultValue = "1",
            description =
                    "Samples per caption when sampling, the one closest to z_t kept (default 1;"
                            + " unCLIP: 2).")
    int candidates;

    @Option(
            names = "--ema-decay",
            defaultValue = "0.999",
            description = "EMA decay of the weights sampled from (default 0.999).")
    float emaDecay;

    @Option(
            names = "--eval-images",
            defaultValue = "1000",
            description = "Test captions for the final report (default 1000, 0 for none).")
    int evalImages;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "1000",
            description = "Steps between checkpoints.")
    long checkpointEvery;

    @Option(names = "--limit", description = "Use only the first N training images.")
    Integer limit;

    @Option(
            names = "--minutes",
            description = "Stop after this much wall time even if --steps are not done.")
    Double minutes;

    @Mixin Overwrite replace;

    @Option(names = "--resume", description = "Continue the run's checkpoint.")
    boolean resume;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (!kind.equals(RegressionPrior.KIND) && !kind.equals(DiffusionPrior.KIND)) {
            throw new GenLabException(
                    "Unknown --kind '" + kind + "': use diffusion or regression.");
        }
        PrintWriter out = spec.commandLine().getOut();
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        Path dir = run != null ? run : Path.of("runs", "prior-" + kind);
        RunFolder.checkTrainable(dir, resume, replace.overwrite);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Seeds.seed(seed);
            Clip.Loaded loaded = Clip.load(clip, manager);
            String dataset = RunFolder.open(clip).config().getOrDefault("dataset", "mnist");
            ImageDataset.Builder b =
                    ImageDataset.builder()
                            .setName(dataset)
                            .optSplit(Split.TRAIN)
                            .optLog(System.out);
            if (limit != null) {
                b.optLimit(limit);
            }
            CaptionedImages train = CaptionedImages.of(b.build());
            long t0 = System.nanoTime();
            PriorData data =
                    PriorData.of(loaded.clip(), loaded.tokenizer(), train, train.size(), manager);
            out.printf(
                    Locale.ROOT,
                    "Embedded %d %s images and their captions with CLIP (D = %d) in %.1f s.%n",
                    data.size(),
                    dataset,
                    data.dim(),
                    (System.nanoTime() - t0) / 1e9);
            out.flush();
            Checks.batchFitsData(batch, data.size(), dataset + " training pairs");
            DiffusionPrior.Sampling sampling =
                    new DiffusionPrior.Sampling(
                            DiffusionPrior.Sampling.DEFAULT.steps(),
                            DiffusionPrior.Sampling.DEFAULT.eta(),
                            guidance,
                            candidates);
            Prior prior =
                    kind.equals(RegressionPrior.KIND)
                            ? RegressionPrior.create(data.dim(), width, depth, manager)
                            : new DiffusionPrior(
                                    new PriorNetwork(
                                            data.dim(),
                                            width,
                                            depth,
                                            DiffusionPrior.TIME_EMBEDDING),
                                    NoiseSchedule.cosine(timesteps),
                                    captionDropout,
                                    sampling,
                                    manager);
            PriorTrainer task =
                    PriorTrainer.builder()
                            .setPrior(prior)
                            .setData(BatchSource.shuffled(data.pairs(), batch, seed))
                            .setManager(manager)
                            .optLearningRate(lr)
                            .optEmaDecay(emaDecay)
                            .build();
            Map<String, String> config = new LinkedHashMap<>(task.config());
            if (prior instanceof DiffusionPrior) {
                config.putAll(sampling.toConfig());
            }
            config.put("clipRun", clip.toAbsolutePath().normalize().toString());
            config.put("dataset", dataset);
            config.put("items", Integer.toString(data.size()));
            config.put("limit", limit == null ? "" : limit.toString());
            config.put("batch", Integer.toString(batch));
            config.put("steps", Long.toString(steps));
            config.put("device", Devices.name(device));
            RunFolder folder = RunFolder.create(dir, config);
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setSteps(steps)
                            .setRunFolder(folder)
                            .setSeed(seed)
                            .setManager(manager)
                            .optCheckpointEvery(checkpointEvery)
                            .optResume(resume)
                            .optOverwrite(replace.overwrite)
                            .optTaskName("prior " + kind)
                            .optProgressBar(!noProgress)
                            .optTimeLimit(
                                    minutes == null
                                            ? null
                                            : Duration.ofMillis(Math.round(minutes * 60_000)))
                            .optConfig(config)
                            .build();
            long t1 = System.nanoTime();
            loop.fit();
            double secs = (System.nanoTime() - t1) / 1e9;
            double stepsPerSecond = loop.getStepsPerSecond();
            Map<String, String> results = new LinkedHashMap<>();
            if (stepsPerSecond > 0) {
                results.put(
                        "stepMillis", String.format(Locale.ROOT, "%.1f", 1000 / stepsPerSecond));
            }
            out.printf(
                    Locale.ROOT,
                    "Trained the %s prior in %.1f min (%.1f ms/step on %s). Run: %s%n",
                    kind,
                    secs / 60,
                    stepsPerSecond > 0 ? 1000 / stepsPerSecond : 0,
                    Devices.name(device),
                    dir);
            if (evalImages > 0) {
                Prior trained = Prior.open(dir, manager);
                CaptionedImages test =
                        CaptionedImages.of(
                                ImageDataset.builder()
                                        .setName(dataset)
                                        .optSplit(Split.TEST)
                                        .optLog(null)
                                        .build());
                long t2 = System.nanoTime();
                PriorEvaluation.Result r =
                        PriorEvaluation.evaluate(
                                trained,
                                loaded.clip(),
                                loaded.tokenizer(),
                                test,
                                evalImages,
                                manager);
                out.printf(
                        Locale.ROOT,
                        "Prior (%s, EMA weights) %s. [%.1f s]%n",
                        kind,
                        r,
                        (System.nanoTime() - t2) / 1e9);
                results.putAll(r.toConfig());
            }
            folder.mergeConfig(results);
            out.flush();
        }
        return 0;
    }
}
