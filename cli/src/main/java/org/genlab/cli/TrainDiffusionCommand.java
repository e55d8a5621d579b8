package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.autoencoder.LatentSpace;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.toy.ToyDataset;
import org.genlab.diffusion.flow.FlowMatchingLoss;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.latent.LatentDiffusion;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.diffusion.viz.PointClouds;
import org.genlab.pipelines.text2image.CaptionedSamples;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.pipelines.unclip.ClipEmbeddings;
import org.genlab.pipelines.unclip.ImageEmbeddingEncoder;
import org.genlab.pipelines.unclip.UnclipDecoder;
import org.genlab.text.clip.Clip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab train diffusion}: trains a DDPM (UNet for images, MLP for 2D toy data). */
@Command(
        name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
            "Train a denoising diffusion model (Ho et al. 2020) or a flow-matching model"
                    + " (--objective flow): a UNet on MNIST, Fashion-MNIST or CIFAR-10 pixels, or"
                    + " on an autoencoder's latents (--latent RUN), or an MLP on a 2D toy set."
                    + " Progress samples (DDIM or Euler, EMA weights) go to RUN/samples, the checkpoint to RUN/checkpoint.zip; Ctrl-C"
                    + " saves, --resume continues."
        })
public final class TrainDiffusionCommand implements Callable<Integer> {

    private static final String TOYS = "ring|moons|swissroll|checkerboard";

    @Option(
            names = "--dataset",
            description =
                    "mnist, fashion-mnist, cifar10, ring, moons, swissroll or checkerboard"
                            + " (with --latent: the autoencoder's, by default).")
    String dataset;

    @Option(
            names = "--objective",
            defaultValue = "ddpm",
            description =
                    "ddpm (predict the noise ε or v, Ho et al. 2020) or flow (flow matching:"
                            + " predict the velocity of a straight path, Lipman et al. 2023).")
    String objective;

    @Option(
            names = "--latent",
            description =
                    "Train in the latent space of this autoencoder run (genlab train autoencoder):"
                            + " latent diffusion, Rombach et al. 2022.")
    Path latent;

    @Option(
            names = "--flow-time",
            description =
                    "How flow matching draws its times: logit-normal (default, Esser et al. 2024) or"
                            + " uniform.")
    String flowTime;

    @Option(names = "--schedule", description = "linear (default) or cosine (ddpm only).")
    String schedule;

    @Option(names = "--timesteps", description = "T (default 1000; ddpm only).")
    Integer timesteps;

    @Option(
            names = "--conditional",
            description = "Class-conditional, with label dropout for classifier-free guidance.")
    boolean conditional;

    @Option(
            names = "--text",
            description =
                    "Text-conditional (GLIDE, Nichol et al. 2022): train on the data set's measured"
                            + " captions; the UNet reads them through cross-attention and the"
                            + " pooled caption joins the step embedding; captions are dropped to"
                            + " the empty caption with --label-dropout for classifier-free"
                            + " guidance. Sample with genlab sample diffusion --prompt.")
    boolean text;

    @Option(
            names = "--clip",
            description =
                    "With --text: read captions with the frozen text encoder of this CLIP run"
                            + " (genlab train clip) instead of training a fresh one with the"
                            + " denoiser.")
    Path clip;

    @Option(
            names = "--clip-image",
            paramLabel = "CLIP_RUN",
            description =
                    "Train the decoder of unCLIP (Ramesh et al. 2022): condition on the CLIP image"
                            + " embedding of each training image, computed with this CLIP run"
                            + " (genlab train clip, same data set); the embedding is dropped to"
                            + " zeros with --label-dropout for classifier-free guidance. Sample"
                            + " with genlab variations.")
    Path clipImage;

    @Option(
            names = "--preset",
            description =
                    "UNet size: cpu (base 32, 2 levels; the default on pixels), gpu (base 128, Ho"
                            + " et al.) or latent (base 64, one level; the default with --latent).")
    String preset;

    @Option(names = "--prediction", description = "epsilon (default) or v (ddpm only).")
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
            description =
                    "Probability of the null label (--conditional), the empty caption (--text) or"
                            + " the zero embedding (--clip-image).")
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

    @picocli.CommandLine.Mixin Overwrite replace;

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

    @Option(
            names = "--minutes",
            description =
                    "Stop after this much wall time even if --steps are not done (to train models"
                            + " for the same time); the checkpoint and samples are written.")
    Double minutes;

    @Override
    public Integer call() {
        validate();
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        boolean flow = "flow".equals(objective);
        LatentSpace space = latent != null ? LatentSpace.load(latent, device) : null;
        if (space != null) {
            if (dataset != null && !dataset.equals(space.dataset())) {
                space.close();
                throw new GenLabException(
                        "The autoencoder in "
                                + latent
                                + " was trained on "
                                + space.dataset()
                                + ", not "
                                + dataset
                                + ": drop --dataset or give that autoencoder's data set.");
            }
            dataset = space.dataset();
        }
        if (dataset == null) {
            throw new GenLabException("Give --dataset (or --latent RUN of an autoencoder).");
        }
        boolean toy = dataset.matches(TOYS);
        if (space != null && toy) {
            space.close();
            throw new GenLabException("--latent needs an image data set, not " + dataset + ".");
        }
        String net = preset != null ? preset : space != null ? "latent" : "cpu";
        String sched =
                flow ? DiffusionTrainer.FLOW_SCHEDULE : schedule != null ? schedule : "linear";
        int t = flow ? FlowPath.TIME_SCALE : timesteps != null ? timesteps : 1000;
        Path dir =
                run != null
                        ? run
                        : Path.of(
                                "runs",
                                (flow ? "flow-" : "diffusion-")
                                        + (space != null ? "latent-" : "")
                                        + dataset);
        try {
            RunFolder.checkTrainable(dir, resume, replace.overwrite);
        } catch (GenLabException e) {
            if (space != null) {
                space.close();
            }
            throw e;
        }
        try (NDManager manager = NDManager.newBaseManager(device);
                LatentSpace ae = space) {
            Seeds.seed(seed);
            // the whole set on the device once: each batch is one gather there
            SampleSet all;
            float[][] reference = null;
            ModelSpec spec;
            Prediction pred =
                    flow
                            ? Prediction.FLOW
                            : Prediction.valueOf(
                                    (prediction != null ? prediction : "epsilon")
                                            .toUpperCase(Locale.ROOT));
            SampleSet pixels = null;
            Map<String, String> extra = new LinkedHashMap<>();
            Clip clipModel = null;
            if (clipImage != null) {
                checkClipData(clipImage, dataset);
                clipModel = Clip.load(clipImage, manager).clip();
                imageEncoder = UnclipDecoder.encoder(clipModel);
                extra.putAll(UnclipDecoder.config(clipImage, imageEncoder));
            }
            if (text) {
                encoder =
                        clip != null
                                ? TextConditioning.fromClip(clip, manager)
                                : null; // a fresh one is made from the captions' words
            }
            if (toy) {
                int n = limit != null ? limit : 10_000;
                ToyDataset points = ToyDataset.byName(dataset, n, seed);
                reference = points.points();
                all = SampleSet.of(points.points(manager), null);
                spec = new ModelSpec("mlp", net, 2, 1, 1, 0, sched, t, pred);
            } else if (ae != null) {
                ImageDataset images = loadImages();
                pixels =
                        text
                                ? captioned(images, manager, extra)
                                : clipModel != null
                                        ? decoderData(clipModel, images, manager)
                                        : images.inMemory(manager);
                long start = System.nanoTime();
                all = LatentDiffusion.encode(ae, pixels, manager);
                System.out.printf(
                        Locale.ROOT,
                        "Encoded %d images to %s latents in %.1f s (autoencoder %s, scale %.4f).%n",
                        all.size(),
                        ae.latentShape(),
                        (System.nanoTime() - start) / 1e9,
                        latent,
                        ae.scale());
                Shape z = ae.latentShape();
                spec =
                        new ModelSpec(
                                "unet",
                                net,
                                (int) z.get(0),
                                (int) z.get(1),
                                (int) z.get(2),
                                conditional ? 10 : 0,
                                sched,
                                t,
                                pred,
                                contextLength(),
                                clipModel != null);
            } else {
                ImageDataset images = loadImages();
                all =
                        text
                                ? captioned(images, manager, extra)
                                : clipModel != null
                                        ? decoderData(clipModel, images, manager)
                                        : images.inMemory(manager);
                spec =
                        new ModelSpec(
                                "unet",
                                net,
                                images.channels(),
                                images.height(),
                                images.width(),
                                conditional ? 10 : 0,
                                sched,
                                t,
                                pred,
                                contextLength(),
                                clipModel != null);
            }
            long n = all.size();
            Checks.batchFitsData(batch, n, dataset + (toy ? " points" : " training items"));
            Checks.fitsInMemory("--batch", batch, spec.sampleShape().size() * 4L, 1500);
            BatchSource.Shuffled batches = BatchSource.shuffled(all, batch, seed);
            long total =
                    steps != null
                            ? steps
                            : epochs != null
                                    ? (long) Math.ceil(epochs * batches.batchesPerEpoch())
                                    : toy ? 10_000 : 3000;
            // small networks train faster at 1e-3; Ho et al.'s 2e-4 suits the large GPU UNet
            float rate = lr != null ? lr : "gpu".equals(net) ? 2e-4f : 1e-3f;
            Block model =
                    text
                            ? spec.build(manager, encoder.block(), encoder.trainable())
                            : imageEncoder != null
                                    ? spec.build(manager, imageEncoder, true)
                                    : spec.build(manager);
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
            if (ae != null) {
                extra.put(LatentDiffusion.RUN_KEY, latent.toAbsolutePath().normalize().toString());
                extra.put(LatentDiffusion.SCALE_KEY, Float.toString(ae.scale()));
                extra.put("imageShape", ae.imageShape().toString());
            }
            DiffusionTrainer.Builder builder =
                    DiffusionTrainer.builder()
                            .setModel(spec, model)
                            .setData(batches)
                            .setManager(manager)
                            .optLearningRate(rate)
                            .optEmaDecay(emaDecay)
                            .optLabelDropout(labelDropout)
                            .optSamples(
                                    toy ? 2000 : conditional || text || clipModel != null ? 40 : 64,
                                    50,
                                    seed,
                                    3f)
                            .optPrompts(text ? progressPrompts : null)
                            .optConditions(progressEmbeddings, progressSources)
                            .optRunName(dir.getFileName().toString())
                            .optReferencePoints(reference);
            if (flow) {
                builder.optTimeSampling(
                        "uniform".equals(flowTime)
                                ? FlowMatchingLoss.TimeSampling.UNIFORM
                                : FlowMatchingLoss.TimeSampling.LOGIT_NORMAL);
            }
            if (ae != null) {
                builder.optDecoder(ae::decode);
            }
            DiffusionTrainer task = builder.build();
            // the trainer describes the model (ModelSpec keys, lr, emaDecay, labelDropout)
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.put("dataset", dataset);
            config.put("items", Long.toString(n));
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
                            .optTaskName("diffusion " + dataset)
                            .optProgressBar(!noProgress)
                            .optTimeLimit(
                                    minutes == null
                                            ? null
                                            : java.time.Duration.ofMillis(
                                                    Math.round(minutes * 60_000)))
                            .optConfig(config)
                            .build();
            loop.fit();
            double sps = loop.getStepsPerSecond();
            if (toy && !loop.wasInterrupted()) {
                writeToyPictures(task, first(all, manager, 1000), reference, folder, seed);
            } else if (!toy) {
                Seeds.seed(seed);
                NDArray one = first(pixels != null ? pixels : all, manager, 1);
                org.genlab.core.image.PngWriter.write(
                        flow
                                ? org.genlab.diffusion.viz.Trajectories.flowStrip(one, 11, 3)
                                : org.genlab.diffusion.viz.Trajectories.forwardStrip(
                                        task.schedule(), one, 11, 3),
                        folder.samplesDir().resolve("forward-strip.png"),
                        org.genlab.core.image.Provenance.builder()
                                .optModel(
                                        flow
                                                ? "straight path x_s = (1-s) x_0 + s eps"
                                                : "forward process q(x_t|x_0), " + spec.schedule())
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
        NoiseSchedule s = task.schedule();
        boolean flow = s == null;
        Provenance prov =
                Provenance.builder()
                        .optModel(flow ? "flow matching mlp" : "diffusion mlp")
                        .optRun(folder.dir().getFileName().toString())
                        .optSeed(seed)
                        .build();
        Path dir = folder.samplesDir();
        Seeds.seed(seed);
        AnimatedGif.write(
                dir.resolve("forward.gif"),
                flow ? PointClouds.flowForward(sub, 25, 480) : PointClouds.forward(s, sub, 25, 480),
                120,
                1500,
                prov);
        // the reverse process and the drift (or velocity) fields, with the EMA weights
        Denoiser d = task.denoiser();
        task.ema()
                .withWeights(
                        () -> {
                            Sampler sampler =
                                    flow
                                            ? FlowSampler.builder().optSteps(100).build()
                                            : DdpmSampler.builder()
                                                    .setSchedule(s)
                                                    .optClipDenoised(false)
                                                    .build();
                            PointClouds.Recorder rec =
                                    PointClouds.reverse(
                                            Math.max(1, sampler.timesteps().length / 25), 480);
                            Seeds.seed(seed);
                            sampler.sample(
                                    d, sub.getManager().randomNormal(sub.getShape()), null, rec);
                            AnimatedGif.write(
                                    dir.resolve("reverse.gif"), rec.frames(), 120, 1500, prov);
                            for (double f : new double[] {0.05, 0.25, 0.5, 0.9}) {
                                if (flow) {
                                    PngWriter.write(
                                            PointClouds.velocityField(
                                                    d, f, reference, 2.5f, 21, 520),
                                            dir.resolve(
                                                    String.format(
                                                            Locale.ROOT,
                                                            "velocity-s%03d.png",
                                                            Math.round(f * 100))),
                                            prov);
                                    continue;
                                }
                                int t = (int) Math.round(f * (s.steps() - 1));
                                PngWriter.write(
                                        PointClouds.driftField(d, s, t, reference, 2.5f, 21, 520),
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
    /** The encoder of a --text run (set by {@link #captioned}, or from --clip). */
    private TextConditioning.Encoder encoder;

    /** The prompts the progress pictures draw: each class alone. */
    private long[][] progressPrompts;

    /**
     * The images with their captions' token ids as labels; makes a fresh encoder (GLIDE) unless
     * --clip gave one, and records the encoder in the run's settings.
     */
    private SampleSet captioned(ImageDataset images, NDManager manager, Map<String, String> extra) {
        CaptionedImages captions = CaptionedImages.of(images);
        if (encoder == null) {
            encoder =
                    TextConditioning.fresh(
                            CaptionedSamples.tokenizer(captions.captioner()),
                            CaptionedSamples.MAX_LENGTH);
        } else {
            String clipData = RunFolder.open(clip).config().get("dataset");
            if (clipData != null && !clipData.equals(images.spec().name())) {
                throw new GenLabException(
                        "The CLIP run "
                                + clip
                                + " was trained on "
                                + clipData
                                + " captions, not "
                                + images.spec().name()
                                + ": train one on this data set (genlab train clip --dataset "
                                + images.spec().name()
                                + ").");
            }
        }
        extra.putAll(encoder.config());
        int[] none = new int[captions.captioner().attributes().size()];
        java.util.Arrays.fill(none, -1);
        int k = images.numClasses();
        progressPrompts = new long[k][];
        for (int c = 0; c < k; c++) {
            progressPrompts[c] =
                    encoder.tokenizer()
                            .encode(captions.captioner().prompt(c, none), encoder.maxLength());
        }
        return CaptionedSamples.of(captions, encoder.tokenizer(), encoder.maxLength(), manager);
    }

    /** The encoder of a --clip-image run (an unCLIP decoder). */
    private ImageEmbeddingEncoder imageEncoder;

    /** The CLIP image embeddings the progress pictures of a decoder draw, one per column. */
    private float[][] progressEmbeddings;

    /** The test images those embeddings came from, drawn above them. */
    private NDArray progressSources;

    /** The context length of the spec: L for --text, D for --clip-image, else 0. */
    private int contextLength() {
        return text ? encoder.maxLength() : imageEncoder != null ? imageEncoder.embeddingDim() : 0;
    }

    /** Refuses a CLIP run trained on another data set than the decoder's. */
    private static void checkClipData(Path clipRun, String dataset) {
        String clipData = RunFolder.open(clipRun).config().get("dataset");
        if (clipData != null && !clipData.equals(dataset)) {
            throw new GenLabException(
                    "The CLIP run "
                            + clipRun
                            + " was trained on "
                            + clipData
                            + ", not "
                            + dataset
                            + ": train one on this data set (genlab train clip --dataset "
                            + dataset
                            + ").");
        }
    }

    /**
     * The training images with their CLIP image embeddings as labels (an unCLIP decoder), and the
     * progress pictures' conditions: the embeddings of the first test image of each class.
     */
    private SampleSet decoderData(Clip clipModel, ImageDataset images, NDManager manager) {
        long start = System.nanoTime();
        SampleSet set = UnclipDecoder.trainingSet(clipModel, images, manager);
        System.out.printf(
                Locale.ROOT,
                "Embedded %d images with CLIP (%s) in %.1f s.%n",
                set.size(),
                clipImage,
                (System.nanoTime() - start) / 1e9);
        ImageDataset test =
                ImageDataset.builder().setName(dataset).optSplit(Split.TEST).optLimit(500).build();
        int k = test.numClasses();
        int[] first = new int[k];
        java.util.Arrays.fill(first, -1);
        try (NDManager sub = manager.newSubManager()) {
            int[] all = new int[test.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            long[] labels =
                    test.labels(sub, all)
                            .toType(ai.djl.ndarray.types.DataType.INT64, false)
                            .toLongArray();
            for (int i = 0; i < labels.length; i++) {
                int c = (int) labels[i];
                if (c >= 0 && c < k && first[c] < 0) {
                    first[c] = i;
                }
            }
        }
        int[] picked = java.util.Arrays.stream(first).filter(i -> i >= 0).toArray();
        progressSources = test.samples(manager, picked);
        NDArray z = ClipEmbeddings.embed(clipModel, progressSources);
        progressEmbeddings = new float[picked.length][];
        long d = z.getShape().get(1);
        float[] flat = z.toFloatArray();
        for (int i = 0; i < picked.length; i++) {
            progressEmbeddings[i] =
                    java.util.Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d));
        }
        return set;
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
        if (dataset != null && !dataset.matches("mnist|fashion-mnist|cifar10|" + TOYS)) {
            throw new GenLabException(
                    "Unknown --dataset '"
                            + dataset
                            + "': use mnist, fashion-mnist, cifar10, ring, moons, swissroll or"
                            + " checkerboard.");
        }
        if (text && conditional) {
            throw new GenLabException(
                    "--text and --conditional exclude each other: a model reads either a caption"
                            + " or a class label.");
        }
        if (clipImage != null && (text || conditional || clip != null)) {
            throw new GenLabException(
                    "--clip-image trains an unCLIP decoder, conditioned on CLIP image embeddings:"
                            + " drop --text, --clip and --conditional.");
        }
        if (clipImage != null && !Files.isDirectory(clipImage)) {
            throw new GenLabException(
                    "No CLIP run at " + clipImage + ": train one with genlab train clip.");
        }
        if (clipImage != null && dataset != null && dataset.matches(TOYS)) {
            throw new GenLabException("--clip-image needs an image data set, not " + dataset + ".");
        }
        if (clip != null && !text) {
            throw new GenLabException("--clip gives the text encoder of a --text run: add --text.");
        }
        if (clip != null && !Files.isDirectory(clip)) {
            throw new GenLabException(
                    "No CLIP run at " + clip + ": train one with genlab train clip.");
        }
        if (text && dataset != null && !dataset.matches("mnist|fashion-mnist")) {
            throw new GenLabException(
                    "--text needs captions; they exist for mnist and fashion-mnist, not "
                            + dataset
                            + ".");
        }
        if (!objective.matches("ddpm|flow")) {
            throw new GenLabException("Unknown --objective '" + objective + "': use ddpm or flow.");
        }
        if ("flow".equals(objective)) {
            for (String[] f :
                    new String[][] {
                        {"--schedule", schedule},
                        {"--timesteps", timesteps == null ? null : timesteps.toString()},
                        {"--prediction", prediction}
                    }) {
                if (f[1] != null) {
                    throw new GenLabException(
                            f[0]
                                    + " does not apply to --objective flow: flow matching has no"
                                    + " noise schedule and always predicts the velocity.");
                }
            }
        } else if (flowTime != null) {
            throw new GenLabException("--flow-time applies to --objective flow only.");
        }
        if (flowTime != null && !flowTime.matches("uniform|logit-normal")) {
            throw new GenLabException(
                    "Unknown --flow-time '" + flowTime + "': use uniform or logit-normal.");
        }
        if (schedule != null && !schedule.matches("linear|cosine")) {
            throw new GenLabException(
                    "Unknown --schedule '" + schedule + "': use linear or cosine.");
        }
        if (preset != null && !preset.matches("cpu|gpu|latent")) {
            throw new GenLabException("Unknown --preset '" + preset + "': use cpu, gpu or latent.");
        }
        if (prediction != null && !prediction.matches("epsilon|v")) {
            throw new GenLabException(
                    "Unknown --prediction '" + prediction + "': use epsilon or v.");
        }
        if (steps != null && epochs != null) {
            throw new GenLabException("Give --steps or --epochs, not both.");
        }
        if (conditional && dataset != null && dataset.matches(TOYS)) {
            throw new GenLabException("--conditional needs a labelled image data set.");
        }
        if (latent != null && !java.nio.file.Files.isDirectory(latent)) {
            throw new GenLabException(
                    "--latent "
                            + latent
                            + " is not a folder: train one with `genlab train autoencoder --run "
                            + latent
                            + "`.");
        }
    }
}
