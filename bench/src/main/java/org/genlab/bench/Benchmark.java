package org.genlab.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.genlab.bench.work.AutoencoderTraining;
import org.genlab.bench.work.DdpmTraining;
import org.genlab.bench.work.GanTraining;
import org.genlab.bench.work.ImageShape;
import org.genlab.bench.work.LatentSampling;
import org.genlab.bench.work.Sampling;
import org.genlab.bench.work.TrainingWork;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.RuntimeInfo;
import org.genlab.eval.compare.SampleSource;

/**
 * Runs the benchmark: for each image size, the DCGAN training step (one D and one G update), the
 * DDPM UNet training step, the KL autoencoder's training step and the latent UNet's flow-matching
 * step (on the autoencoder's latents, 4×7×7 for MNIST) at each batch size, then sampling speed for
 * the GAN, DDPM with all 1000 steps, DDIM-50, DDIM-10, flow matching with 50 Euler steps in pixel
 * space (the UNet preset) and in latent space (the latent UNet, then the decoder); then,
 * optionally, the long memory run. Inputs are random tensors of the right shape (loading data is
 * not what is measured); the networks and trainers are GenLab's own. Every row is the median over
 * repeats after warm-up; see {@link Timer}. Every row names the trainable parameters of the
 * networks it runs, which the PyTorch reference must match exactly.
 *
 * <pre>{@code
 * BenchReport r = new Benchmark(settings, Device.cpu(), System.out).run();
 * r.write(settings.out(), "genlab");
 * }</pre>
 */
public final class Benchmark {

    private final BenchSettings settings;
    private final Device device;
    private final PrintStream log;
    private double overallPeak;

    /**
     * Prepares a run.
     *
     * @param settings what to measure
     * @param device where
     * @param log where progress goes
     */
    public Benchmark(BenchSettings settings, Device device, PrintStream log) {
        this.settings = settings;
        this.device = device;
        this.log = log;
    }

    /**
     * A row to measure.
     *
     * @param id the row id
     * @param task {@code train} or {@code sample}
     * @param model what runs (see {@link BenchReport.Row#model()})
     * @param shape the image size
     * @param batch B
     * @param unit {@code step} or {@code batch}
     * @param scale the factor from the timed work to the reported one (DDPM with fewer steps)
     * @param note how the row is measured, when it needs saying
     */
    public record Planned(
            String id,
            String task,
            String model,
            ImageShape shape,
            int batch,
            String unit,
            double scale,
            String note) {}

    /** The Euler steps of the flow-sampling rows. */
    public static final int FLOW_STEPS = 50;

    /**
     * Lists the selected rows in the order they run: per image size, the DCGAN, DDPM, autoencoder
     * and latent flow-matching training steps, then the six sampling rows.
     *
     * @return the rows
     */
    public List<Planned> plan() {
        List<Planned> rows = new ArrayList<>();
        int timed = settings.ddpmSteps();
        double scale = BenchSettings.DIFFUSION_STEPS / (double) timed;
        String ddpmNote =
                timed == BenchSettings.DIFFUSION_STEPS
                        ? null
                        : String.format(
                                Locale.ROOT, "extrapolated: %d steps timed, ×%.0f", timed, scale);
        String unet = "ddpm-unet-" + settings.unetPreset();
        for (String d : settings.data()) {
            ImageShape shape = ImageShape.byName(d);
            for (int b : settings.batches()) {
                rows.add(planned("train/dcgan", "train", "dcgan", shape, b, 1, null));
            }
            for (int b : settings.batches()) {
                rows.add(planned("train/ddpm", "train", unet, shape, b, 1, null));
            }
            ImageShape latent = latentOf(shape);
            for (int b : settings.batches()) {
                rows.add(
                        planned("train/autoencoder", "train", "autoencoder-kl", shape, b, 1, null));
            }
            for (int b : settings.batches()) {
                rows.add(
                        planned(
                                "train/latent-flow",
                                "train",
                                "flow-unet-latent",
                                latent,
                                b,
                                1,
                                "flow matching on " + latent.dims() + " latents"));
            }
            int sb = settings.sampleBatch();
            rows.add(planned("sample/gan", "sample", "gan", shape, sb, 1, null));
            rows.add(
                    planned("sample/ddpm-1000", "sample", "ddpm-1000", shape, sb, scale, ddpmNote));
            rows.add(planned("sample/ddim-50", "sample", "ddim-50", shape, sb, 1, null));
            rows.add(planned("sample/ddim-10", "sample", "ddim-10", shape, sb, 1, null));
            String euler = "flow-euler-" + FLOW_STEPS;
            rows.add(
                    planned(
                            "sample/" + euler,
                            "sample",
                            euler,
                            shape,
                            sb,
                            1,
                            "UNet preset " + settings.unetPreset() + " as a velocity model"));
            rows.add(
                    planned(
                            "sample/latent-" + euler,
                            "sample",
                            "latent-" + euler,
                            latent,
                            sb,
                            1,
                            latent.dims() + " latents, then decoded to " + shape.dims()));
        }
        rows.removeIf(r -> !settings.selects(r.id()));
        return rows;
    }

    /** The latent size of GenLab's default autoencoder for an image size (4×7×7 for MNIST). */
    private static ImageShape latentOf(ImageShape shape) {
        return shape.latent((int) AutoencoderTraining.autoencoder(shape).latentShape().get(0));
    }

    private static Planned planned(
            String prefix,
            String task,
            String model,
            ImageShape shape,
            int batch,
            double scale,
            String note) {
        return new Planned(
                prefix + "/" + shape.name() + "/b" + batch,
                task,
                model,
                shape,
                batch,
                task.equals("train") ? "step" : "batch",
                scale,
                note);
    }

    /**
     * Measures every selected row, then runs the memory check if asked.
     *
     * @return the report (not yet written)
     */
    public BenchReport run() {
        RuntimeInfo info = RuntimeInfo.collect();
        String loadStart = loadAverage();
        List<BenchReport.Row> rows = new ArrayList<>();
        Sampling sampling = null;
        LatentSampling latent = null;
        try {
            for (Planned p : plan()) {
                if (p.task().equals("train")) {
                    rows.add(measure(p, () -> training(p), null));
                    continue;
                }
                if (p.model().startsWith("latent-")) {
                    ImageShape image = ImageShape.byName(p.shape().name());
                    if (latent == null || !latent.shape().equals(image)) {
                        if (latent != null) {
                            latent.close();
                        }
                        latent = new LatentSampling(device, image, settings.seed());
                    }
                    LatentSampling l = latent;
                    rows.add(measure(p, () -> l.work(FLOW_STEPS, p.batch()), l.parameters()));
                    continue;
                }
                if (sampling == null || !sampling.shape().equals(p.shape())) {
                    if (sampling != null) {
                        sampling.close();
                    }
                    sampling =
                            new Sampling(
                                    device,
                                    p.shape(),
                                    settings.ganWidth(),
                                    settings.unetPreset(),
                                    settings.seed());
                }
                Sampling s = sampling;
                Map<String, Long> params = new LinkedHashMap<>();
                String net = p.model().equals("gan") ? "generator" : "unet";
                params.put(net, s.parameters().get(net));
                rows.add(measure(p, () -> s.work(source(s, p.model()), p.batch()), params));
            }
        } finally {
            if (sampling != null) {
                sampling.close();
            }
            if (latent != null) {
                latent.close();
            }
        }
        double peak = Math.max(overallPeak, ProcMemory.mib(ProcMemory.peakRss()));
        List<MemoryStability.Result> memory = new ArrayList<>();
        if (settings.memorySteps() > 0) {
            for (String w : settings.memoryWorkloads()) {
                log.printf(
                        Locale.ROOT,
                        "memory run: %s, %d steps, heap pinned at %s ...%n",
                        w,
                        settings.memorySteps(),
                        settings.memoryHeap());
                memory.add(
                        MemoryStability.runInChildJvm(
                                w,
                                settings.memorySteps(),
                                settings.memoryHeap(),
                                settings.memoryLimitPercent(),
                                Devices.name(device),
                                log));
            }
        }
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cpu", cpuModel());
        machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("loadavg_start", loadStart);
        machine.put("loadavg_end", loadAverage());
        Map<String, Integer> threads = new LinkedHashMap<>();
        threads.put("intra_op", JniUtils.getNumThreads());
        threads.put("inter_op", JniUtils.getNumInteropThreads());
        Map<String, String> software = new LinkedHashMap<>();
        Map<String, String> facts = info.facts();
        for (String k : List.of("GenLab", "DJL", "Engine", "libtorch flavour", "Java")) {
            software.put(k, facts.get(k));
        }
        return new BenchReport(
                BenchReport.SCHEMA,
                "genlab",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                software,
                Devices.name(device),
                Devices.describe(device),
                threads,
                machine,
                settings.toMap(),
                rows,
                peak,
                memory);
    }

    private Timer.Work training(Planned p) {
        if (p.model().equals("dcgan")) {
            return new GanTraining(
                    device, p.shape(), settings.ganWidth(), p.batch(), settings.seed());
        }
        if (p.model().equals("autoencoder-kl")) {
            return new AutoencoderTraining(device, p.shape(), p.batch(), settings.seed());
        }
        if (p.model().equals("flow-unet-latent")) {
            return new DdpmTraining(
                    device, DdpmTraining.latentFlowSpec(p.shape()), p.batch(), settings.seed());
        }
        return new DdpmTraining(
                device, p.shape(), settings.unetPreset(), p.batch(), settings.seed());
    }

    private SampleSource source(Sampling s, String model) {
        switch (model) {
            case "gan":
                return s.gan();
            case "ddpm-1000":
                return s.ddpm(settings.ddpmSteps());
            case "ddim-50":
                return s.ddim(50);
            case "flow-euler-" + FLOW_STEPS:
                return s.flow(FLOW_STEPS);
            default:
                return s.ddim(10);
        }
    }

    private BenchReport.Row measure(
            Planned p, Supplier<Timer.Work> make, Map<String, Long> parameters) {
        overallPeak = Math.max(overallPeak, ProcMemory.mib(ProcMemory.peakRss()));
        ProcMemory.resetPeak();
        Timer.Work work = make.get();
        Map<String, Long> params =
                parameters != null ? parameters : ((TrainingWork) work).parameters();
        Timer.Measurement m;
        try {
            m =
                    Timer.measure(
                                    work,
                                    settings.warmup(),
                                    settings.repeats(),
                                    settings.minRepeatSeconds())
                            .scaled(p.scale());
        } finally {
            if (work instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) work).close();
                } catch (Exception e) {
                    log.println("  (closing the workload failed: " + e + ")");
                }
            }
        }
        double peak = ProcMemory.mib(ProcMemory.peakRss());
        overallPeak = Math.max(overallPeak, peak);
        BenchReport.Row r =
                new BenchReport.Row(
                        p.id(),
                        p.task(),
                        p.model(),
                        p.shape().name(),
                        p.shape().dims(),
                        p.batch(),
                        p.unit(),
                        m.medianMs(),
                        m.minMs(),
                        m.maxMs(),
                        m.repeatsMs(),
                        m.runsPerRepeat(),
                        m.cpuMedianMs(),
                        m.cpuRepeatsMs(),
                        p.batch() / (m.medianMs() / 1000),
                        peak,
                        gpuMemoryMib(),
                        p.note(),
                        params);
        log.printf(
                Locale.ROOT,
                "%-28s %9.1f ms/%s  (min %.1f, max %.1f, CPU %.1f, %d×%d runs)  %8.1f images/s"
                        + "  peak RSS %.0f MiB  params %s%n",
                p.id(),
                r.medianMs(),
                p.unit(),
                r.minMs(),
                r.maxMs(),
                r.cpuMedianMs(),
                settings.repeats(),
                m.runsPerRepeat(),
                r.imagesPerS(),
                peak,
                BenchReport.parameterText(params));
        return r;
    }

    private double gpuMemoryMib() {
        if (!device.isGpu()) {
            return -1;
        }
        try {
            return CudaUtils.getGpuMemory(device).getUsed() / (1024.0 * 1024.0);
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
