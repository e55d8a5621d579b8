package org.genlab.eval.compare;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLab;
import org.genlab.core.GenLabException;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.Seeds;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.eval.classifier.FeatureClassifier;
import org.genlab.eval.prompt.PromptAccuracy;

/**
 * Runs the comparison of several trained runs: quality metrics against the real-data floor,
 * sampling speed on one device with one batch size, and the pictures of the report.
 *
 * <pre>{@code
 * ComparisonResult r = Comparison.builder()
 *     .addRun(Path.of("runs/dcgan")).addRun(Path.of("runs/ddpm"))
 *     .setOutput(Path.of("reports/compare")).optSamples(1000).build().run();
 * }</pre>
 */
public final class Comparison {

    private final List<Path> runs;
    private final List<ModelRun> given;
    private final Path output;
    private final int samples;
    private final int speedBatch;
    private final Device device;
    private final Path dataDir;
    private final long seed;
    private final PrintStream log;

    private Comparison(Builder b) {
        this.runs = List.copyOf(b.runs);
        this.given = List.copyOf(b.given);
        this.output = b.output;
        this.samples = b.samples;
        this.speedBatch = b.speedBatch;
        this.device = b.device;
        this.dataDir = b.dataDir;
        this.seed = b.seed;
        this.log = b.log;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Measures every run and writes {@code index.html}, {@code report.json} and the pictures into
     * the output folder.
     *
     * @return what was measured
     */
    public ComparisonResult run() {
        List<ModelRun> opened = new ArrayList<>();
        try {
            opened.addAll(given);
            for (Path p : runs) {
                opened.add(ModelRun.open(p, device));
            }
            String dataset = opened.get(0).dataset();
            for (ModelRun r : opened) {
                if (!r.dataset().equals(dataset)) {
                    StringBuilder sb = new StringBuilder();
                    for (ModelRun o : opened) {
                        sb.append(sb.length() == 0 ? "" : ", ")
                                .append(o.name())
                                .append(" (")
                                .append(o.dataset())
                                .append(')');
                    }
                    throw new GenLabException(
                            "The runs trained on different data sets: "
                                    + sb
                                    + ". Compare runs of one data set.");
                }
            }
            Files.createDirectories(output);
            return measure(opened, dataset);
        } catch (java.io.IOException e) {
            throw new GenLabException("Cannot write the report to " + output, e);
        } finally {
            opened.forEach(ModelRun::close);
        }
    }

    private ComparisonResult measure(List<ModelRun> opened, String dataset)
            throws java.io.IOException {
        ImageDataset train =
                ImageDataset.builder()
                        .setName(dataset)
                        .optSplit(Split.TRAIN)
                        .optDataDir(dataDir)
                        .build();
        ImageDataset test =
                ImageDataset.builder()
                        .setName(dataset)
                        .optSplit(Split.TEST)
                        .optDataDir(dataDir)
                        .build();
        try (FeatureClassifier clf = FeatureClassifier.obtain(dataset, dataDir, device, log);
                NDManager manager = NDManager.newBaseManager(device);
                NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
            log.printf(
                    Locale.ROOT,
                    "Measuring %d samples per model against %d training images (%s, test accuracy"
                            + " %.2f %%)%n",
                    samples,
                    samples,
                    clf.distanceName(),
                    100 * clf.testAccuracy());
            Evaluation eval = new Evaluation(clf, train, test, samples, seed, cpu);
            List<ComparisonResult.Model> models = new ArrayList<>();
            for (ModelRun run : opened) {
                models.add(measure(run, eval, manager, cpu));
            }
            return new ComparisonResult(
                    GenLab.version(),
                    Devices.describe(device),
                    dataset,
                    new ComparisonResult.Classifier(
                            clf.distanceName().contains("LeNet")
                                    ? "LeNet (" + dataset + ")"
                                    : "small CNN (" + dataset + ")",
                            clf.distanceName(),
                            clf.testAccuracy()),
                    samples,
                    "training split (" + samples + " random images); floor: test split",
                    eval.floor(),
                    models);
        }
    }

    private ComparisonResult.Model measure(
            ModelRun run, Evaluation eval, NDManager manager, NDManager cpu)
            throws java.io.IOException {
        String safe = run.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        SampleSource q = run.qualitySampler();
        log.printf(
                Locale.ROOT,
                "%s (%s): drawing %d samples with %s ...%n",
                run.name(),
                run.family(),
                samples,
                q.label());
        SampleMetrics metrics;
        String grid = safe + "-samples.png";
        String neighbours = safe + "-neighbours.png";
        try (NDManager sub = manager.newSubManager();
                NDManager csub = cpu.newSubManager()) {
            Seeds.seed(seed);
            NDArray all = drawInBatches(q, sub, samples);
            NDArray onCpu = all.toDevice(Device.cpu(), false);
            onCpu.attach(csub);
            metrics = eval.measure(q.label(), onCpu);
            Provenance prov =
                    Provenance.builder()
                            .optModel(run.family() + " " + q.label())
                            .optRun(run.name())
                            .optSeed(seed)
                            .opt("Report", "genlab compare")
                            .build();
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(onCpu.get("0:64"))
                            .optColumns(8)
                            .optScale(onCpu.getShape().get(2) <= 32 ? 3 : 1)
                            .build()
                            .render(),
                    output.resolve(grid),
                    prov);
            NDArray panel = eval.neighbourPanel(csub, onCpu, 6, 5);
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(panel)
                            .optColumns(6)
                            .optScale(3)
                            .optColumnLabels(List.of("sample", "nearest 1", "2", "3", "4", "5"))
                            .build()
                            .render(),
                    output.resolve(neighbours),
                    prov);
        }
        List<ComparisonResult.Speed> speeds = new ArrayList<>();
        for (SampleSource s : run.speedSamplers()) {
            speeds.add(speed(s, manager));
        }
        String loss = null;
        if (Files.isRegularFile(run.folder().lossChart())) {
            loss = safe + "-losses.png";
            Files.copy(
                    run.folder().lossChart(),
                    output.resolve(loss),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        log.printf(
                Locale.ROOT,
                "  %s %.2f (floor %.2f), precision %.3f, recall %.3f, coverage %.0f %%%n",
                eval.classifier().distanceAbbreviation(),
                metrics.frechet(),
                eval.floor().frechet(),
                metrics.precision(),
                metrics.recall(),
                100 * metrics.coverage());
        ComparisonResult.Control control = control(run, eval, manager, cpu, safe);
        ComparisonResult.Prompts prompts = prompts(run, eval, manager, safe);
        return new ComparisonResult.Model(
                run.name(),
                run.family(),
                run.steps(),
                metrics,
                speeds,
                grid,
                loss,
                neighbours,
                control,
                prompts,
                run.bitsPerToken());
    }

    /**
     * Asks a text-conditional model for prompts of the test split's compositions and of the
     * held-out compositions, and scores what it drew ({@link PromptAccuracy}); writes a grid of
     * eight samples for each of ten prompts.
     */
    private ComparisonResult.Prompts prompts(
            ModelRun run, Evaluation eval, NDManager manager, String safe) {
        org.genlab.eval.prompt.PromptDrawer drawer = run.promptDrawer();
        if (drawer == null) {
            return null;
        }
        org.genlab.datasets.caption.CaptionedImages test =
                org.genlab.datasets.caption.CaptionedImages.of(
                        org.genlab.datasets.ImageDataset.builder()
                                .setName(run.dataset())
                                .optSplit(org.genlab.datasets.Split.TEST)
                                .optDataDir(dataDir)
                                .build());
        int n = Math.min(samples, 500);
        log.printf(
                Locale.ROOT,
                "%s: drawing %d test prompts and the held-out compositions (%s) ...%n",
                run.name(),
                n,
                drawer.label());
        PromptAccuracy pa =
                PromptAccuracy.builder()
                        .setDrawer(drawer)
                        .setClassifier(eval.classifier())
                        .setTestSplit(test)
                        .optPrompts(n, 20)
                        .optSeed(seed)
                        .build();
        PromptAccuracy.Report r = pa.evaluate(manager);
        log.printf(Locale.ROOT, "  %s%n", r);
        String file = safe + "-prompts.png";
        try (NDManager sub = manager.newSubManager()) {
            List<org.genlab.datasets.caption.PromptSet.Prompt> shown =
                    org.genlab.datasets.caption.PromptSet.test(test, 10, seed + 7);
            List<org.genlab.datasets.caption.PromptSet.Prompt> each = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (org.genlab.datasets.caption.PromptSet.Prompt p : shown) {
                for (int i = 0; i < 8; i++) {
                    each.add(p);
                }
                labels.add(p.text());
            }
            NDArray x = pa.draw(each, sub);
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(x)
                            .optColumns(8)
                            .optScale(2)
                            .optRowLabels(labels)
                            .build()
                            .render(),
                    output.resolve(file),
                    Provenance.builder()
                            .optModel(run.family() + " prompts, " + drawer.label())
                            .optRun(run.name())
                            .optSeed(seed)
                            .build());
        }
        return new ComparisonResult.Prompts(
                r.guidance(),
                r.test().prompts(),
                r.test().classAccuracy(),
                r.test().attributeAccuracy(),
                r.heldOut().prompts(),
                r.heldOut().classAccuracy(),
                r.heldOut().attributeAccuracy(),
                file);
    }

    /**
     * Asks a conditional model for every class in turn (the same number of each, about as many
     * samples in all as the quality measurement) and lets the classifier check what it drew.
     */
    private ComparisonResult.Control control(
            ModelRun run, Evaluation eval, NDManager manager, NDManager cpu, String safe)
            throws java.io.IOException {
        ConditionalSource c = run.conditionalSampler();
        if (c == null) {
            return null;
        }
        int k = c.numClasses();
        int per = Math.max(8, samples / k);
        int[] requested = new int[per * k];
        for (int i = 0; i < requested.length; i++) {
            requested[i] = i / per;
        }
        log.printf(
                Locale.ROOT,
                "%s: asking for each of %d classes %d times with %s ...%n",
                run.name(),
                k,
                per,
                c.label());
        String file = safe + "-classes.png";
        double[] acc;
        try (NDManager sub = manager.newSubManager();
                NDManager csub = cpu.newSubManager()) {
            Seeds.seed(seed);
            ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList();
            for (int done = 0; done < requested.length; done += 250) {
                int[] part =
                        java.util.Arrays.copyOfRange(
                                requested, done, Math.min(requested.length, done + 250));
                long[] asLong = new long[part.length];
                for (int i = 0; i < part.length; i++) {
                    asLong[i] = part[i];
                }
                parts.add(c.sample(sub, sub.create(asLong)));
            }
            NDArray all =
                    (parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts))
                            .toDevice(Device.cpu(), false);
            all.attach(csub);
            acc = eval.requestedClassAccuracy(all, requested, k);
            ai.djl.ndarray.NDList rows = new ai.djl.ndarray.NDList();
            List<String> rowLabels = new ArrayList<>();
            for (int cls = 0; cls < k; cls++) {
                rows.add(all.get((cls * per) + ":" + (cls * per + 8)));
                rowLabels.add(fmtRow(cls, acc[cls]));
            }
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(ai.djl.ndarray.NDArrays.concat(rows))
                            .optColumns(8)
                            .optScale(all.getShape().get(2) <= 32 ? 2 : 1)
                            .optRowLabels(rowLabels)
                            .build()
                            .render(),
                    output.resolve(file),
                    Provenance.builder()
                            .optModel(run.family() + " " + c.label())
                            .optRun(run.name())
                            .optSeed(seed)
                            .opt("Report", "genlab compare")
                            .build());
        }
        log.printf(Locale.ROOT, "  requested class drawn %.1f %% of the time%n", 100 * acc[k]);
        return new ComparisonResult.Control(
                c.label(), requested.length, acc[k], java.util.Arrays.copyOf(acc, k), file);
    }

    private static String fmtRow(int cls, double accuracy) {
        return String.format(Locale.ROOT, "%d (%.0f %%)", cls, 100 * accuracy);
    }

    private NDArray drawInBatches(SampleSource s, NDManager m, int n) {
        ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList();
        for (int done = 0; done < n; done += 250) {
            parts.add(s.sample(m, Math.min(250, n - done)));
        }
        return parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts);
    }

    /** Times one batch after a warm-up call; the transfer to the host ends the timing (a sync). */
    private ComparisonResult.Speed speed(SampleSource s, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            s.sample(sub, Math.min(2, speedBatch)).toFloatArray(); // warm-up
        }
        long t0 = System.nanoTime();
        try (NDManager sub = manager.newSubManager()) {
            s.sample(sub, speedBatch).toFloatArray();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double ips = speedBatch / seconds;
        log.printf(Locale.ROOT, "  %s: %.1f images/s (batch %d)%n", s.label(), ips, speedBatch);
        return new ComparisonResult.Speed(s.label(), speedBatch, ips);
    }

    /**
     * Returns the speeds of all runs by sampler, for the speed chart.
     *
     * @param result a comparison
     * @return label to images/s
     */
    public static Map<String, Double> speeds(ComparisonResult result) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (ComparisonResult.Model m : result.models()) {
            for (ComparisonResult.Speed s : m.speeds()) {
                out.put(m.run() + " " + s.sampler(), s.imagesPerSecond());
            }
        }
        return out;
    }

    /** Builds a {@link Comparison}. */
    public static final class Builder {
        private final List<Path> runs = new ArrayList<>();
        private final List<ModelRun> given = new ArrayList<>();
        private Path output;
        private int samples = 1000;
        private int speedBatch = 64;
        private Device device = Device.cpu();
        private Path dataDir;
        private long seed = 42;
        private PrintStream log = System.out;

        Builder() {}

        /**
         * Adds a run folder.
         *
         * @param run the folder
         * @return this builder
         */
        public Builder addRun(Path run) {
            runs.add(run);
            return this;
        }

        /**
         * Adds a run opened from code, e.g. a model of your own ({@link ModelRun#gan}, {@link
         * ModelRun#diffusion}); it is measured first and closed at the end.
         *
         * @param run the opened run
         * @return this builder
         */
        public Builder addRun(ModelRun run) {
            given.add(run);
            return this;
        }

        /**
         * Sets the report folder.
         *
         * @param output the folder
         * @return this builder
         */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /**
         * Sets the samples per set.
         *
         * @param n at least 200 (default 1000)
         * @return this builder
         */
        public Builder optSamples(int n) {
            this.samples = n;
            return this;
        }

        /**
         * Sets the batch size of the speed measurement.
         *
         * @param batch images per call (default 64)
         * @return this builder
         */
        public Builder optSpeedBatch(int batch) {
            this.speedBatch = batch;
            return this;
        }

        /**
         * Sets the device.
         *
         * @param device the device (default CPU)
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Sets the data cache.
         *
         * @param dataDir the folder, or null for the default
         * @return this builder
         */
        public Builder optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Sets the seed of the samples and the reference images.
         *
         * @param seed the seed (default 42)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets where progress is printed.
         *
         * @param log the stream (default {@code System.out})
         * @return this builder
         */
        public Builder optLog(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * Builds the comparison.
         *
         * @return the comparison
         */
        public Comparison build() {
            if ((runs.isEmpty() && given.isEmpty()) || output == null) {
                throw new GenLabException(
                        "Compare needs at least one --runs folder and an --out folder.");
            }
            if (speedBatch < 1) {
                throw new GenLabException("--speed-batch must be >= 1.");
            }
            return new Comparison(this);
        }
    }
}
