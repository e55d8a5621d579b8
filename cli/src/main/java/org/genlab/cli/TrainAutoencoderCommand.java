package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.autoencoder.LatentSpace;
import org.genlab.autoencoder.Reconstructions;
import org.genlab.autoencoder.bottleneck.Bottleneck;
import org.genlab.autoencoder.bottleneck.VqBottleneck;
import org.genlab.autoencoder.train.AutoencoderTrainer;
import org.genlab.autoencoder.train.ReconstructionLoss;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.image.Provenance;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.eval.classifier.FeatureClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code genlab train autoencoder}: trains the KL-regularised autoencoder of latent diffusion (or,
 * with {@code --bottleneck vq}, a VQ-VAE whose latents are tokens), records its latent scale and
 * measures its reconstructions (and, for VQ, the codebook's usage and perplexity).
 */
@Command(
        name = "autoencoder",
        mixinStandardHelpOptions = true,
        description = {
            "Train a KL-regularised convolutional autoencoder (the first stage of latent diffusion,"
                    + " Rombach et al. 2022): MNIST 1x28x28 <-> 4x7x7, CIFAR-10 3x32x32 <-> 4x8x8.",
            "Writes a run folder: samples/ (originals above reconstructions), losses, checkpoint.zip"
                    + " and config.properties with latent.scale = 1/std of the latents, the"
                    + " reconstruction PSNR on test images and, when the data set's feature"
                    + " classifier is trained, its accuracy on reconstructions and originals.",
            "With --bottleneck vq: a VQ-VAE (van den Oord et al. 2017), MNIST 1x28x28 <-> 7x7"
                    + " tokens of a --codebook of K codes; also reports codebook usage and"
                    + " perplexity.",
            "Example: genlab train autoencoder --dataset mnist --run runs/ae",
            "Example: genlab train autoencoder --dataset mnist --bottleneck vq --codebook 128"
                    + " --run runs/vq"
        })
public final class TrainAutoencoderCommand implements Callable<Integer> {

    /** Steps of the default run: about 2 minutes for MNIST on 2 CPU cores. */
    static final long DEFAULT_STEPS = 700;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dataset",
            description = "mnist, fashion-mnist or cifar10 (required, except with --resume).")
    String dataset;

    @Option(names = "--run", description = "Run folder (default runs/autoencoder-DATASET).")
    Path run;

    @Option(
            names = "--steps",
            description = "Optimisation steps (default " + DEFAULT_STEPS + ", unless --epochs).")
    Long steps;

    @Option(names = "--epochs", description = "Passes over the data (instead of --steps).")
    Double epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default 128).")
    int batch;

    @Option(
            names = "--latent-channels",
            defaultValue = "4",
            description = "Channels c of the latent (default ${DEFAULT-VALUE}).")
    int latentChannels;

    @Option(
            names = "--width",
            defaultValue = "32",
            description = "Width W: channels at half resolution (even; default ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--bottleneck",
            defaultValue = "kl",
            description =
                    "kl (a VAE's Gaussian latent, for latent diffusion) or vq (a VQ-VAE's codebook:"
                            + " each latent position becomes a token; default ${DEFAULT-VALUE}).")
    String bottleneck;

    @Option(
            names = "--codebook",
            description =
                    "With --bottleneck vq: the number of codes K (default "
                            + VqBottleneck.DEFAULT_CODES
                            + ").")
    Integer codebook;

    @Option(
            names = "--kl-weight",
            description =
                    "beta, the weight of the mean KL term against the mean pixel loss; 0 for a"
                            + " plain autoencoder (default 1e-4).")
    Float klWeight;

    @Option(
            names = "--loss",
            defaultValue = "l1",
            description = "Reconstruction loss: l1 or mse (default ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--lr", description = "Adam learning rate (default 3e-3).")
    Float lr;

    @Option(
            names = "--cosine-decay",
            description = "Lower the learning rate along a half cosine to 0 (default: constant).")
    boolean cosineDecay;

    @Option(
            names = "--gradient-clip",
            defaultValue = "1",
            description = "Largest global gradient norm; 0 for none (default ${DEFAULT-VALUE}).")
    float gradientClip;

    @Option(
            names = "--ema-decay",
            defaultValue = "0.999",
            description = "EMA decay of the weights that are saved for encoding; 0 for none.")
    float emaDecay;

    @Option(
            names = "--sample-every",
            defaultValue = "200",
            description = "Steps between reconstruction grids (default ${DEFAULT-VALUE}).")
    long sampleEvery;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "500",
            description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @picocli.CommandLine.Mixin Overwrite replace;

    @Option(names = "--resume", description = "Continue the run's checkpoint.")
    boolean resume;

    @Option(names = "--limit", description = "Use only the first N training images.")
    Integer limit;

    @Option(
            names = "--scale-images",
            defaultValue = "4096",
            description =
                    "Training images the latent scale is measured on (default ${DEFAULT-VALUE}).")
    int scaleImages;

    @Option(
            names = "--eval-images",
            defaultValue = "2000",
            description =
                    "Test images for the PSNR and the classifier accuracy (default"
                            + " ${DEFAULT-VALUE}; 0 skips the evaluation).")
    int evalImages;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (dataset == null) {
            throw new GenLabException("Give --dataset: mnist, fashion-mnist or cifar10.");
        }
        validate();
        PrintWriter out = spec.commandLine().getOut();
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        Path dir = run != null ? run : Path.of("runs", "autoencoder-" + dataset);
        RunFolder.checkTrainable(dir, resume, replace.overwrite);
        float beta = klWeight != null ? klWeight : AutoencoderTrainer.DEFAULT_KL_WEIGHT;
        float rate = lr != null ? lr : AutoencoderTrainer.DEFAULT_LEARNING_RATE;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Seeds.seed(seed);
            ImageDataset images = load(Split.TRAIN, limit);
            Checks.batchFitsData(batch, images.size(), dataset + " training images");
            Checks.fitsInMemory(
                    "--batch",
                    batch,
                    (long) images.channels() * images.height() * images.width() * 4,
                    600);
            // the whole set on the device once: each batch is one gather there
            SampleSet all = images.inMemory(manager);
            BatchSource.Shuffled batches = BatchSource.shuffled(all, batch, seed);
            long total =
                    steps != null
                            ? steps
                            : epochs != null
                                    ? (long) Math.ceil(epochs * batches.batchesPerEpoch())
                                    : DEFAULT_STEPS;
            Autoencoder model =
                    Autoencoder.builder()
                            .setImageShape(
                                    new Shape(images.channels(), images.height(), images.width()))
                            .optLatentChannels(latentChannels)
                            .optWidth(width)
                            .optBottleneck(
                                    "vq".equals(bottleneck)
                                            ? Bottleneck.vq(
                                                    codebook != null
                                                            ? codebook
                                                            : VqBottleneck.DEFAULT_CODES)
                                            : Bottleneck.kl())
                            .build()
                            .initialize(manager);
            AutoencoderTrainer task =
                    AutoencoderTrainer.builder()
                            .setModel(model)
                            .setData(batches)
                            .setManager(manager)
                            .optKlWeight(beta)
                            .optLearningRate(rate)
                            .optReconstructionLoss(ReconstructionLoss.byName(loss))
                            .optEmaDecay(emaDecay)
                            .optCosineDecay(cosineDecay ? total : 0)
                            .optGradientClip(gradientClip)
                            .optRunName(dir.getFileName().toString())
                            .build();
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.put("dataset", dataset);
            config.put("limit", limit == null ? "" : limit.toString());
            config.put("items", Integer.toString(all.size()));
            config.put("batch", Integer.toString(batch));
            config.put("steps", Long.toString(total));
            config.put("device", Devices.name(device));
            RunFolder folder = RunFolder.create(dir, config);
            out.printf(
                    Locale.ROOT,
                    "Training %s (%,d parameters) on %s: %d images, %d steps, batch %d, %s, on"
                            + " %s. Run folder: %s%n",
                    model,
                    org.genlab.core.nn.Params.count(model),
                    dataset,
                    all.size(),
                    total,
                    batch,
                    model.bottleneck() instanceof VqBottleneck vq ? vq.toString() : "beta " + beta,
                    Devices.name(device),
                    dir);
            out.flush();
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
                            .optTaskName("autoencoder " + dataset)
                            .optProgressBar(!noProgress)
                            .optConfig(config)
                            .build();
            long t0 = System.nanoTime();
            loop.fit();
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            if (loop.wasInterrupted()) {
                return 0;
            }
            double sps = loop.getStepsPerSecond();
            out.printf(
                    Locale.ROOT,
                    "Trained in %.0f s: %.1f ms/step at batch %d (%.0f images/s) on %s.%n",
                    trainSeconds,
                    sps > 0 ? 1000 / sps : Double.NaN,
                    batch,
                    sps * batch,
                    Devices.name(device));
            // s = 1 / std(μ), recorded as latent.scale
            float scale = task.recordLatentScale(folder, all, scaleImages);
            out.printf(
                    Locale.ROOT,
                    "latent.scale = %.4f (1 / std of the latents of %d training images)%n",
                    scale,
                    Math.min(scaleImages, all.size()));
            out.flush();
            if (evalImages > 0) {
                evaluate(folder, device, out);
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Measures the reconstructions of the first test images through {@link LatentSpace} (the saved
     * weights, as latent diffusion will use them): PSNR, and the feature classifier's accuracy on
     * reconstructions and originals; draws the grid; records all in the run.
     */
    private void evaluate(RunFolder folder, Device device, PrintWriter out) {
        ImageDataset test = load(Split.TEST, null);
        int n = Math.min(evalImages, test.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Map<String, String> results = new LinkedHashMap<>();
        try (LatentSpace ls = LatentSpace.load(folder.dir(), device);
                NDManager m = NDManager.newBaseManager(device)) {
            NDArray x = test.images(m, idx).toDevice(device, false);
            NDArray xHat = ls.decode(ls.encode(x));
            double psnr = Reconstructions.psnr(x, xHat);
            results.put("eval.testImages", Integer.toString(n));
            results.put("eval.psnr", String.format(Locale.ROOT, "%.2f", psnr));
            out.printf(Locale.ROOT, "Reconstruction PSNR on %d test images: %.2f dB%n", n, psnr);
            if (ls.model().bottleneck() instanceof VqBottleneck vq) {
                codebookUse(ls, vq, x, n, results, out);
            }
            Path grid = folder.dir().resolve("reconstructions.png");
            long shown = Math.min(32, n);
            Reconstructions.writeGrid(
                    x.get("0:{}", shown),
                    xHat.get("0:{}", shown),
                    8,
                    grid,
                    Provenance.builder()
                            .optModel(ls.model().toString())
                            .optRun(folder.dir().getFileName().toString())
                            .opt(
                                    Provenance.KEY_DISCLOSURE,
                                    "Top rows: real "
                                            + dataset
                                            + " test images; bottom rows: their reconstructions by"
                                            + " an autoencoder trained with GenLab.")
                            .build());
            out.printf(Locale.ROOT, "Originals above reconstructions: %s%n", grid);
            if (FeatureClassifier.status(dataset, null).trained()) {
                try (FeatureClassifier clf =
                        FeatureClassifier.obtain(dataset, null, device, System.out)) {
                    double onRecon = accuracy(clf.probabilities(xHat), test);
                    double onOriginals = accuracy(clf.probabilities(x), test);
                    results.put("eval.accuracy", String.format(Locale.ROOT, "%.4f", onRecon));
                    results.put(
                            "eval.accuracyOriginals",
                            String.format(Locale.ROOT, "%.4f", onOriginals));
                    out.printf(
                            Locale.ROOT,
                            "Feature classifier accuracy on %d test images: reconstructions %.2f"
                                    + " %%, originals %.2f %%%n",
                            n,
                            100 * onRecon,
                            100 * onOriginals);
                }
            } else {
                out.printf(
                        Locale.ROOT,
                        "Classifier accuracy skipped: the %s feature classifier is not trained"
                                + " yet (`genlab classifier %s` trains it once).%n",
                        dataset,
                        dataset);
            }
        }
        folder.mergeConfig(results);
    }

    /**
     * Measures the codebook on the test images' tokens: usage (share of the K codes that occur) and
     * perplexity exp(−Σ p log p) of the code frequencies.
     */
    private static void codebookUse(
            LatentSpace ls,
            VqBottleneck vq,
            NDArray x,
            int n,
            Map<String, String> results,
            PrintWriter out) {
        long[] tokens;
        try (NDManager m = x.getManager().newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(m);
            tokens = ls.model().tokens(new ParameterStore(m, false), xs).toLongArray();
        }
        int k = vq.codes();
        long[] counts = new long[k];
        for (long t : tokens) {
            counts[(int) t]++;
        }
        int used = 0;
        double entropy = 0;
        for (long c : counts) {
            if (c > 0) {
                used++;
                double p = c / (double) tokens.length;
                entropy -= p * Math.log(p);
            }
        }
        double perplexity = Math.exp(entropy);
        results.put("eval.codebookUsage", String.format(Locale.ROOT, "%.4f", used / (double) k));
        results.put("eval.perplexity", String.format(Locale.ROOT, "%.2f", perplexity));
        out.printf(
                Locale.ROOT,
                "Codebook on %d test images' %d tokens: %d of %d codes used (%.1f %%),"
                        + " perplexity %.1f%n",
                n,
                tokens.length,
                used,
                k,
                100.0 * used / k,
                perplexity);
    }

    private static double accuracy(double[][] p, ImageDataset test) {
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int k = 1; k < p[i].length; k++) {
                if (p[i][k] > p[i][best]) {
                    best = k;
                }
            }
            if (best == test.label(i)) {
                correct++;
            }
        }
        return correct / (double) p.length;
    }

    private ImageDataset load(Split split, Integer n) {
        ImageDataset.Builder b =
                ImageDataset.builder().setName(dataset).optSplit(split).optLog(System.out);
        if (n != null) {
            b.optLimit(n);
        }
        return b.build();
    }

    private void validate() {
        if (!dataset.matches("mnist|fashion-mnist|cifar10")) {
            throw new GenLabException(
                    "Unknown --dataset '" + dataset + "': use mnist, fashion-mnist or cifar10.");
        }
        if (steps != null && epochs != null) {
            throw new GenLabException("Give --steps or --epochs, not both.");
        }
        if (latentChannels < 1) {
            throw new GenLabException(
                    "--latent-channels must be >= 1, got " + latentChannels + ".");
        }
        if (width < 2 || width % 2 != 0) {
            throw new GenLabException("--width must be even and >= 2, got " + width + ".");
        }
        if (!bottleneck.matches("kl|vq")) {
            throw new GenLabException("Unknown --bottleneck '" + bottleneck + "': use kl or vq.");
        }
        if (codebook != null && !"vq".equals(bottleneck)) {
            throw new GenLabException("--codebook needs --bottleneck vq.");
        }
        if (codebook != null && codebook < 2) {
            throw new GenLabException("--codebook must be >= 2, got " + codebook + ".");
        }
        if (klWeight != null && !"kl".equals(bottleneck)) {
            throw new GenLabException("--kl-weight needs --bottleneck kl.");
        }
        if (klWeight != null && (!(klWeight >= 0) || klWeight.isInfinite())) {
            throw new GenLabException(
                    "--kl-weight must be a number >= 0 (0: no KL term), got " + klWeight + ".");
        }
        if (lr != null && (!(lr > 0) || lr.isInfinite())) {
            throw new GenLabException("--lr must be a positive number, got " + lr + ".");
        }
        if (!(gradientClip >= 0) || Float.isInfinite(gradientClip)) {
            throw new GenLabException(
                    "--gradient-clip must be a number >= 0 (0: no clipping), got "
                            + gradientClip
                            + ".");
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new GenLabException("--ema-decay must be in [0, 1), got " + emaDecay + ".");
        }
        if (!loss.matches("mse|l1")) {
            throw new GenLabException("Unknown --loss '" + loss + "': use mse or l1.");
        }
        if (limit != null && limit < 2) {
            throw new GenLabException("--limit must be >= 2.");
        }
        if (scaleImages < 2 || evalImages < 0 || sampleEvery < 0 || checkpointEvery < 0) {
            throw new GenLabException(
                    "--scale-images must be >= 2; --eval-images, --sample-every and"
                            + " --checkpoint-every >= 0.");
        }
    }
}
