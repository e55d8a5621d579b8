package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.pipelines.clip.ClipEvaluation;
import org.genlab.pipelines.text2image.CaptionedSamples;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.ClipTrainer;
import org.genlab.text.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab train clip}: trains a CLIP-style image–text model on captioned data. */
@Command(
        name = "clip",
        mixinStandardHelpOptions = true,
        description = {
            "Train a CLIP-style model (Radford et al. 2021) on MNIST or Fashion-MNIST with their"
                    + " measured captions: an image encoder and a transformer text encoder learn"
                    + " one shared embedding with the symmetric contrastive loss and a learned"
                    + " temperature. At the end it reports zero-shot accuracy and recall@5 on the"
                    + " test split and draws the embedding map (RUN/samples/embedding-map.png)."
        })
public final class TrainClipCommand implements Callable<Integer> {

    @Option(
            names = "--dataset",
            defaultValue = "mnist",
            description = "mnist (default) or fashion-mnist.")
    String dataset;

    @Option(names = "--run", description = "Run folder (default runs/clip-DATASET).")
    Path run;

    @Option(names = "--steps", description = "Optimisation steps (default 1500).")
    Long steps;

    @Option(names = "--epochs", description = "Passes over the data (instead of --steps).")
    Double epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default 128).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate (default 1e-3).")
    float lr;

    @Option(
            names = "--embed-dim",
            defaultValue = "64",
            description = "Dimension of the shared embedding (default 64).")
    int embedDim;

    @Option(
            names = "--text-dim",
            defaultValue = "64",
            description = "Width of the text transformer (default 64).")
    int textDim;

    @Option(
            names = "--text-layers",
            defaultValue = "2",
            description = "Layers of the text transformer (default 2).")
    int textLayers;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "500",
            description = "Steps between checkpoints.")
    long checkpointEvery;

    @Option(
            names = "--eval-images",
            defaultValue = "10000",
            description = "Test images for the final report (default all 10000).")
    int evalImages;

    @picocli.CommandLine.Mixin Overwrite replace;

    @Option(names = "--resume", description = "Continue the run's checkpoint.")
    boolean resume;

    @Option(names = "--limit", description = "Use only the first N training items.")
    Integer limit;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Option(
            names = "--minutes",
            description = "Stop after this much wall time even if --steps are not done.")
    Double minutes;

    @Override
    public Integer call() {
        if (!dataset.matches("mnist|fashion-mnist")) {
            throw new GenLabException(
                    "Unknown --dataset '"
                            + dataset
                            + "': captions exist for mnist and fashion-mnist.");
        }
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        Path dir = run != null ? run : Path.of("runs", "clip-" + dataset);
        RunFolder.checkTrainable(dir, resume, replace.overwrite);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Seeds.seed(seed);
            ImageDataset.Builder b =
                    ImageDataset.builder()
                            .setName(dataset)
                            .optSplit(Split.TRAIN)
                            .optLog(System.out);
            if (limit != null) {
                b.optLimit(limit);
            }
            CaptionedImages captions = CaptionedImages.of(b.build());
            Tokenizer tokenizer = CaptionedSamples.tokenizer(captions.captioner());
            SampleSet all =
                    CaptionedSamples.of(captions, tokenizer, CaptionedSamples.MAX_LENGTH, manager);
            Checks.batchFitsData(batch, all.size(), dataset + " training items");
            BatchSource.Shuffled batches = BatchSource.shuffled(all, batch, seed);
            long total =
                    steps != null
                            ? steps
                            : epochs != null
                                    ? (long) Math.ceil(epochs * batches.batchesPerEpoch())
                                    : 1500;
            ImageDataset first = captions.data();
            Clip clip =
                    Clip.builder()
                            .setImageShape(
                                    new ai.djl.ndarray.types.Shape(
                                            first.channels(), first.height(), first.width()))
                            .setVocabularySize(tokenizer.size())
                            .optMaxLength(CaptionedSamples.MAX_LENGTH)
                            .optTextDim(textDim)
                            .optTextLayers(textLayers)
                            .optEmbedDim(embedDim)
                            .build();
            ClipTrainer task =
                    ClipTrainer.builder()
                            .setModel(clip)
                            .setTokenizer(tokenizer)
                            .setData(batches)
                            .setManager(manager)
                            .optLearningRate(lr)
                            .build();
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.put("dataset", dataset);
            config.put("items", Long.toString(all.size()));
            config.put("limit", limit == null ? "" : limit.toString());
            config.put("batch", Integer.toString(batch));
            config.put("steps", Long.toString(total));
            config.put("device", Devices.name(device));
            RunFolder folder = RunFolder.create(dir, config);
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setSteps(total)
                            .setRunFolder(folder)
                            .setSeed(seed)
                            .setManager(manager)
                            .optSampleEvery(Math.max(1, total))
                            .optCheckpointEvery(checkpointEvery)
                            .optResume(resume)
                            .optOverwrite(replace.overwrite)
                            .optTaskName("clip " + dataset)
                            .optProgressBar(!noProgress)
                            .optTimeLimit(
                                    minutes == null
                                            ? null
                                            : java.time.Duration.ofMillis(
                                                    Math.round(minutes * 60_000)))
                            .optConfig(config)
                            .build();
            long t0 = System.nanoTime();
            loop.fit();
            double trainSecs = (System.nanoTime() - t0) / 1e9;
            task.writeVocabulary(dir);
            CaptionedImages test =
                    CaptionedImages.of(
                            ImageDataset.builder().setName(dataset).optSplit(Split.TEST).build());
            ClipEvaluation.Result r =
                    ClipEvaluation.evaluate(
                            clip,
                            tokenizer,
                            CaptionedSamples.MAX_LENGTH,
                            test,
                            evalImages,
                            5,
                            manager);
            Path map = folder.samplesDir().resolve("embedding-map.png");
            ClipEvaluation.drawMap(
                    clip,
                    tokenizer,
                    CaptionedSamples.MAX_LENGTH,
                    test,
                    600,
                    List.of(),
                    map,
                    manager);
            System.out.printf(
                    Locale.ROOT,
                    "Trained CLIP on %s (%s) in %.1f min: %s. Embedding map: %s. Run: %s%n",
                    dataset,
                    Devices.name(device),
                    trainSecs / 60,
                    r,
                    map,
                    dir);
        }
        return 0;
    }
}
