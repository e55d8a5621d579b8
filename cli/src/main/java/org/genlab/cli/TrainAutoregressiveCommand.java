package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.autoregressive.ImageTokens;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.autoregressive.train.TokenTransformerTrainer;
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
import org.genlab.pipelines.text2image.CaptionedSamples;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.pipelines.tokens.TokenRun;
import org.genlab.pipelines.tokens.VqRun;
import org.genlab.text.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab train autoregressive}: trains an image-token transformer (DALL-E in miniature). */
@Command(
        name = "autoregressive",
        mixinStandardHelpOptions = true,
        description = {
            "Train an autoregressive image-token transformer, DALL-E in miniature (Ramesh et al."
                    + " 2021): a VQ autoencoder run (genlab train autoencoder --bottleneck vq)"
                    + " turns every training image into a 7x7 grid of codes once, and a causal"
                    + " transformer learns to write the grid token by token after a class"
                    + " (--conditional), a caption (--text) or nothing. Progress grids (one row per"
                    + " class or prompt) go to RUN/samples, the checkpoint to RUN/checkpoint.zip;"
                    + " Ctrl-C saves, --resume continues. Sample with genlab sample autoregressive.",
            "Example: genlab train autoregressive --autoencoder runs/vq --conditional --steps 3000"
        })
public final class TrainAutoregressiveCommand implements Callable<Integer> {

    @Option(
            names = "--autoencoder",
            description =
                    "The VQ autoencoder run whose tokens the transformer models (genlab train"
                            + " autoencoder --bottleneck vq); recorded in the run.")
    Path autoencoder;

    @Option(
            names = "--dataset",
            description =
                    "mnist, fashion-mnist or cifar10 (default: the autoencoder's data set; --text:"
                            + " mnist or fashion-mnist).")
    String dataset;

    @Option(
            names = "--conditional",
            description =
                    "Class-conditional: the prefix is the class token, dropped to the null token"
                            + " with --label-dropout for classifier-free guidance.")
    boolean conditional;

    @Option(
            names = "--text",
            description =
                    "Text-conditional, as DALL-E: the prefix is the image's measured caption (16"
                            + " word ids), dropped to the empty caption with --label-dropout."
                            + " Sample with --prompt.")
    boolean text;

    @Option(names = "--steps", description = "Optimisation steps (default 3000).")
    Long steps;

    @Option(names = "--epochs", description = "Passes over the data (instead of --steps).")
    Double epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default 128).")
    int batch;

    @Option(
            names = "--dim",
            defaultValue = "128",
            description = "Transformer width D (default 128).")
    int dim;

    @Option(names = "--layers", defaultValue = "4", description = "Decoder layers (default 4).")
    int layers;

    @Option(
            names = "--heads",
            defaultValue = "4",
            description = "Attention heads, dividing --dim (default 4).")
    int heads;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate (default 1e-3).")
    float lr;

    @Option(
            names = "--label-dropout",
            defaultValue = "0.1",
            description =
                    "Probability of the null class (--conditional) or the empty caption (--text).")
    float labelDropout;

    @Option(names = "--run", description = "Run folder (default runs/autoregressive-DATASET).")
    Path run;

    @Option(names = "--sample-every", defaultValue = "500", description = "Steps between samples.")
    long sampleEvery;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "1000",
            description = "Steps between checkpoints.")
    long checkpointEvery;

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

    /** The captions the progress grids draw (text runs): each class alone. */
    private long[][] progressPrompts;

    @Override
    public Integer call() {
        validate();
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            VqRun vq = VqRun.load(autoencoder, manager);
            if (dataset != null && !dataset.equals(vq.dataset())) {
                throw new GenLabException(
                        "The autoencoder in "
                                + autoencoder
                                + " was trained on "
                                + vq.dataset()
                                + ", not "
                                + dataset
                                + ": drop --dataset or give an autoencoder of that data set.");
            }
            dataset = vq.dataset();
            if (!dataset.matches("mnist|fashion-mnist|cifar10")) {
                throw new GenLabException(
                        "The autoencoder's data set '" + dataset + "' is not an image data set.");
            }
            if (text && !dataset.matches("mnist|fashion-mnist")) {
                throw new GenLabException(
                        "--text needs captions; they exist for mnist and fashion-mnist, not "
                                + dataset
                                + ".");
            }
            Path dir = run != null ? run : Path.of("runs", "autoregressive-" + dataset);
            RunFolder.checkTrainable(dir, resume, replace.overwrite);
            Seeds.seed(seed);
            ImageDataset images = loadImages();
            Map<String, String> extra = new LinkedHashMap<>();
            Tokenizer tokenizer = null;
            SampleSet pixels;
            if (text) {
                CaptionedImages captions = CaptionedImages.of(images);
                tokenizer = CaptionedSamples.tokenizer(captions.captioner());
                pixels =
                        CaptionedSamples.of(
                                captions, tokenizer, CaptionedSamples.MAX_LENGTH, manager);
                progressPrompts = prompts(captions, tokenizer, images.numClasses());
                extra.put(
                        TextConditioning.VOCABULARY_KEY, String.join(" ", tokenizer.vocabulary()));
            } else {
                pixels = images.inMemory(manager);
            }
            long start = System.nanoTime();
            SampleSet tokens = ImageTokens.encode(vq.model(), pixels, manager);
            System.out.printf(
                    Locale.ROOT,
                    "Encoded %d images to %d tokens each (K = %d codes) in %.1f s (autoencoder"
                            + " %s).%n",
                    tokens.size(),
                    vq.tokensPerImage(),
                    vq.codes(),
                    (System.nanoTime() - start) / 1e9,
                    autoencoder);
            Checks.batchFitsData(batch, tokens.size(), dataset + " training items");
            BatchSource.Shuffled batches = BatchSource.shuffled(tokens, batch, seed);
            long total =
                    steps != null
                            ? steps
                            : epochs != null
                                    ? (long) Math.ceil(epochs * batches.batchesPerEpoch())
                                    : 3000;
            TokenTransformer.Builder nb =
                    TokenTransformer.builder()
                            .setCodes(vq.codes())
                            .optLength(vq.tokensPerImage())
                            .optDim(dim)
                            .optLayers(layers)
                            .optHeads(heads);
            if (conditional) {
                nb.optClasses(images.numClasses());
            } else if (text) {
                nb.optCaptions(tokenizer.size(), CaptionedSamples.MAX_LENGTH);
            }
            TokenTransformer net = nb.build();
            TokenTransformerTrainer task =
                    TokenTransformerTrainer.builder()
                            .setModel(net)
                            .setData(batches)
                            .setManager(manager)
                            .optLearningRate(lr)
                            .optUnconditionalProbability(labelDropout)
                            .optDecoder(vq.model())
                            .optPrompts(progressPrompts)
                            .build();
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.put(TokenRun.AUTOENCODER_KEY, vq.dir().toString());
            config.put("dataset", dataset);
            config.put("conditioning", conditional ? "class" : text ? "text" : "none");
            config.put("items", Long.toString(tokens.size()));
            config.put("limit", limit == null ? "" : limit.toString());
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
                            .optOverwrite(replace.overwrite)
                            .optTaskName("autoregressive " + dataset)
                            .optProgressBar(!noProgress)
                            .optTimeLimit(
                                    minutes == null
                                            ? null
                                            : java.time.Duration.ofMillis(
                                                    Math.round(minutes * 60_000)))
                            .optConfig(config)
                            .build();
            loop.fit();
            if (tokenizer != null) {
                tokenizer.save(dir.resolve(Tokenizer.FILE_NAME));
            }
            double sps = loop.getStepsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "Trained %s on %s tokens (%s): %.1f ms/step at batch %d. Run: %s%n",
                    net,
                    dataset,
                    Devices.name(device),
                    sps > 0 ? 1000 / sps : Double.NaN,
                    batch,
                    dir);
        }
        return 0;
    }

    /** One prompt per class, naming only the class ("a 7"), as caption ids. */
    private static long[][] prompts(CaptionedImages captions, Tokenizer tokenizer, int classes) {
        int[] none = new int[captions.captioner().attributes().size()];
        java.util.Arrays.fill(none, -1);
        long[][] rows = new long[classes][];
        for (int c = 0; c < classes; c++) {
            rows[c] =
                    tokenizer.encode(
                            captions.captioner().prompt(c, none), CaptionedSamples.MAX_LENGTH);
        }
        return rows;
    }

    private ImageDataset loadImages() {
        ImageDataset.Builder b =
                ImageDataset.builder().setName(dataset).optSplit(Split.TRAIN).optLog(System.out);
        if (limit != null) {
            b.optLimit(limit);
        }
        return b.build();
    }

    private void validate() {
        if (text && conditional) {
            throw new GenLabException(
                    "--text and --conditional exclude each other: the transformer's prefix is"
                            + " either a caption or a class.");
        }
        if (autoencoder == null) {
            throw new GenLabException(
                    "Give --autoencoder RUN, a VQ autoencoder run (genlab train autoencoder"
                            + " --bottleneck vq).");
        }
        if (!Files.isDirectory(autoencoder)) {
            throw new GenLabException(
                    "No autoencoder run at "
                            + autoencoder
                            + ": train one with genlab train autoencoder --bottleneck vq --run "
                            + autoencoder
                            + ".");
        }
        if (dataset != null && !dataset.matches("mnist|fashion-mnist|cifar10")) {
            throw new GenLabException(
                    "Unknown --dataset '" + dataset + "': use mnist, fashion-mnist or cifar10.");
        }
        if (steps != null && epochs != null) {
            throw new GenLabException("Give --steps or --epochs, not both.");
        }
        if (dim % heads != 0) {
            throw new GenLabException(
                    "--dim " + dim + " must be a multiple of --heads " + heads + ".");
        }
    }
}
