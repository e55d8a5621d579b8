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
import org.genlab.bench.work.DdpmTraining;
import org.genlab.bench.work.GanTraining;
import org.genlab.bench.work.ImageShape;
import org.genlab.bench.work.Sampling;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.RuntimeInfo;
import org.genlab.eval.compare.SampleSource;

/**
 * Runs the benchmark: for each image size, the DCGAN training step (one D and one G update) and the
 * DDPM UNet training step at each batch size, then sampling speed for the GAN, DDPM with all 1000
 * steps, DDIM-50 and DDIM-10; then, optionally, the long memory run. Inputs are random tensors of
 * the right shape (loading data is not what is measured); the networks and trainers are GenLab's
 * own. Every row is the median over repeats after warm-up; see {@link Timer}.
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

    /**
     * Lists the selected rows in the order they run: per image size, the DCGAN training steps, the
     * DDPM training steps, then the four sampling rows.
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
            int sb = settings.sampleBatch();
            rows.add(planned("sample/gan", "sample", "gan", shape, sb, 1, null));
            rows.add(
                    planned("sample/ddpm-1000", "sample", "ddpm-1000", shape, sb, scale, ddpmNote));
            rows.add(planned("sample/ddim-50", "sample", "ddim-50", shape, sb, 1, null));
            rows.add(planned("sample/ddim-10", "sample", "ddim-10", shape, sb, 1, null));
        }
        rows.removeIf(r -> !settings.selects(r.id()));
        return rows;
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
        try {
            for (Planned p : plan()) {
                if (p.task().equals("train")) {
                    rows.add(measure(p, () -> training(p)));
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
                rows.add(measure(p, () -> s.work(source(s, p.model()), p.batch())));
            }
        } finally {
            if (sampling != null) {
                sampling.close();
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
            default:
                return s.ddim(10);
        }
    }

    private BenchReport.Row measure(Planned p, Supplier<Timer.Work> make) {
        overallPeak = Math.max(overallPeak, ProcMemory.mib(ProcMemory.peakRss()));
        ProcMemory.resetPeak();
        Timer.Work work = make.get();
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
                        p.note());
        log.printf(
                Locale.ROOT,
                "%-28s %9.1f ms/%s  (min %.1f, max %.1f, CPU %.1f, %d×%d runs)  %8.1f images/s"
                        + "  peak RSS %.0f MiB%n",
                p.id(),
                r.medianMs(),
                p.unit(),
                r.minMs(),
                r.maxMs(),
                r.cpuMedianMs(),
                settings.repeats(),
                m.runsPerRepeat(),
                r.imagesPerS(),
                peak);
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
