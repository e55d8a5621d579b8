package org.genlab.bench;

import ai.djl.Device;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genlab.bench.work.DdpmTraining;
import org.genlab.bench.work.GanTraining;
import org.genlab.bench.work.ImageShape;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.nn.UNet;

/**
 * The long memory run: many small training steps, checking that the resident memory stops growing
 * once warm. A per-step leak (an array attached to a long-lived manager, a native handle never
 * freed) makes the resident memory of a long run grow linearly; a healthy run grows by less than
 * {@code limit} % between the end of the warm-up (10 % of the steps, at least 500) and the end.
 *
 * <p>Resident memory also grows while the JVM touches heap pages for the first time, which says
 * nothing about leaks. So the run happens in a child JVM whose heap is pinned and touched up front
 * ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}): {@link #runInChildJvm}. It also
 * counts the arrays the networks' manager holds (they must not grow either).
 *
 * <p>Workloads: {@code gan} (a DCGAN of width 16 on 1×16×16, batch 16, trained by the real {@link
 * org.genlab.gan.train.GanTrainer}) and {@code ddpm} (a UNet of base 16 on 1×16×16, batch 8,
 * trained by the real {@link org.genlab.diffusion.train.DiffusionTrainer}).
 */
public final class MemoryStability {

    /** The image size of the small workloads. */
    static final ImageShape SMALL = new ImageShape("small", 1, 16, 16);

    private MemoryStability() {}

    /**
     * The outcome of a long run.
     *
     * @param workload {@code gan} or {@code ddpm}
     * @param steps training steps taken
     * @param warmupSteps steps before the reference measurement
     * @param jvmHeap the heap flags ({@code -Xms… -Xmx…})
     * @param heapPinned whether -Xms equals -Xmx
     * @param rssAfterWarmupMib resident memory after the warm-up
     * @param rssEndMib resident memory at the end
     * @param growthPercent the growth from the warm-up to the end
     * @param lateSlopeBytesPerStep the least-squares slope of the resident memory over the second
     *     half of the run, in bytes per step (a steady leak shows here even when the JIT compiler
     *     and the allocator still settle during the first half)
     * @param limitPercent the allowed growth
     * @param arraysAfterWarmup arrays held by the networks' manager after the warm-up
     * @param arraysEnd arrays held at the end
     * @param passed growth below the limit, the heap pinned, and no array growth
     * @param seconds the wall time
     * @param trace (step, resident MiB) pairs along the run
     */
    public record Result(
            String workload,
            long steps,
            long warmupSteps,
            String jvmHeap,
            boolean heapPinned,
            double rssAfterWarmupMib,
            double rssEndMib,
            double growthPercent,
            double lateSlopeBytesPerStep,
            double limitPercent,
            int arraysAfterWarmup,
            int arraysEnd,
            boolean passed,
            double seconds,
            List<double[]> trace) {

        /**
         * Describes the result in one line.
         *
         * @return e.g. {@code memory (gan, 10000 steps, heap -Xms512m -Xmx512m): RSS 612.3 → 613.0
         *     MiB after warm-up (+0.11 %, limit 2 %), arrays 120 → 120: PASS}
         */
        public String summary() {
            return String.format(
                    Locale.ROOT,
                    "memory (%s, %d steps, heap %s%s): RSS %.1f → %.1f MiB after %d warm-up steps"
                            + " (%+.2f %%, limit %.0f %%; late slope %+.0f bytes/step), arrays %d → %d: %s",
                    workload,
                    steps,
                    jvmHeap,
                    heapPinned ? "" : " NOT PINNED",
                    rssAfterWarmupMib,
                    rssEndMib,
                    warmupSteps,
                    growthPercent,
                    limitPercent,
                    lateSlopeBytesPerStep,
                    arraysAfterWarmup,
                    arraysEnd,
                    passed ? "PASS" : "FAIL");
        }
    }

    /**
     * Runs in this JVM. Prefer {@link #runInChildJvm}, which pins the heap.
     *
     * @param workload {@code gan} or {@code ddpm}
     * @param steps the number of steps (at least 20)
     * @param limitPercent the allowed growth after the warm-up
     * @param device where to run
     * @param log where to print progress
     * @return the result
     */
    public static Result run(
            String workload, long steps, double limitPercent, Device device, PrintStream log) {
        // 10 % of the steps, at least 500 (the JIT compiler and the allocator settle first), at
        // most a third of a short run
        long warmup = Math.max(steps / 10, Math.min(500, steps / 3));
        List<double[]> trace = new ArrayList<>();
        long every = Math.max(1, steps / 50);
        long t0 = System.nanoTime();
        try (Small w = Small.open(workload, device)) {
            double rssWarm = 0;
            int arraysWarm = 0;
            for (long i = 0; i < steps; i++) {
                // a sync every 100 steps, as a training loop logging its losses does
                w.work.run(i, i % 100 == 99);
                if (i + 1 == warmup) {
                    rssWarm = ProcMemory.mib(ProcMemory.rss());
                    arraysWarm = w.arrays();
                }
                if ((i + 1) % every == 0 || i + 1 == steps) {
                    double rss = ProcMemory.mib(ProcMemory.rss());
                    trace.add(new double[] {i + 1, rss});
                    if ((i + 1) % (every * 10) == 0) {
                        log.printf(
                                Locale.ROOT,
                                "  memory %s: step %d, RSS %.1f MiB%n",
                                workload,
                                i + 1,
                                rss);
                    }
                }
            }
            double rssEnd = ProcMemory.mib(ProcMemory.rss());
            int arraysEnd = w.arrays();
            double growth = 100 * (rssEnd - rssWarm) / rssWarm;
            String heap = heapFlags();
            boolean pinned = heapPinned();
            return new Result(
                    workload,
                    steps,
                    warmup,
                    heap,
                    pinned,
                    rssWarm,
                    rssEnd,
                    growth,
                    lateSlope(trace, steps / 2),
                    limitPercent,
                    arraysWarm,
                    arraysEnd,
                    pinned && growth < limitPercent && arraysEnd <= arraysWarm,
                    (System.nanoTime() - t0) / 1e9,
                    trace);
        }
    }

    /**
     * Runs in a child JVM with the heap pinned and pre-touched, with this JVM's class path and DJL
     * settings.
     *
     * @param workload {@code gan} or {@code ddpm}
     * @param steps the number of steps
     * @param heap the heap size, e.g. {@code 512m}
     * @param limitPercent the allowed growth
     * @param device where to run ({@code cpu} or {@code gpu:N})
     * @param log where the child's output goes
     * @return the child's result
     */
    public static Result runInChildJvm(
            String workload,
            long steps,
            String heap,
            double limitPercent,
            String device,
            PrintStream log) {
        Path out = null;
        try {
            out = Files.createTempFile("genlab-memory-", ".json");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xms" + heap);
            cmd.add("-Xmx" + heap);
            cmd.add("-XX:+AlwaysPreTouch");
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.startsWith("ai.djl.")
                        || name.startsWith("org.slf4j.")
                        || name.equals("java.awt.headless")) {
                    cmd.add("-D" + name + "=" + System.getProperty(name));
                }
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(MemoryStability.class.getName());
            cmd.add(workload);
            cmd.add(Long.toString(steps));
            cmd.add(Double.toString(limitPercent));
            cmd.add(device);
            cmd.add(out.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // glibc moves its mmap threshold up after large frees, and large temporary tensors
            // then come from the heap and go back by trimming: RSS swings by ±10 MiB within a run
            // (measured). A fixed threshold keeps them mmap-ed, so what stays resident is what is
            // really held.
            pb.environment().putIfAbsent("MALLOC_MMAP_THRESHOLD_", "131072");
            Process p = pb.start();
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.println(line);
                }
            }
            int code = p.waitFor();
            if (code != 0 || Files.size(out) == 0) {
                throw new GenLabException(
                        "The memory run (" + workload + ") failed in its JVM (exit " + code + ").");
            }
            return gson().fromJson(Files.readString(out), Result.class);
        } catch (IOException e) {
            throw new GenLabException("Cannot start the memory run's JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenLabException("The memory run was interrupted", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file
                }
            }
        }
    }

    /**
     * The child JVM's entry point.
     *
     * @param args workload, steps, limit %, device, output JSON file
     * @throws IOException if the result cannot be written
     */
    public static void main(String[] args) throws IOException {
        Result r =
                run(
                        args[0],
                        Long.parseLong(args[1]),
                        Double.parseDouble(args[2]),
                        org.genlab.core.runtime.Devices.resolve(args[3]),
                        System.out);
        Files.writeString(Path.of(args[4]), gson().toJson(r));
        System.out.println(r.summary());
    }

    private static Gson gson() {
        return new GsonBuilder()
                .serializeSpecialFloatingPointValues()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .create();
    }

    /**
     * Fits a line to the (step, MiB) points after a step.
     *
     * @param trace the points
     * @param from the first step to use
     * @return the slope in bytes per step (0 with fewer than 2 points)
     */
    static double lateSlope(List<double[]> trace, long from) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : trace) {
            if (p[0] >= from) {
                n++;
                sx += p[0];
                sy += p[1];
                sxx += p[0] * p[0];
                sxy += p[0] * p[1];
            }
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? 0 : (n * sxy - sx * sy) / d * 1024 * 1024;
    }

    /**
     * Returns this JVM's heap flags.
     *
     * @return e.g. {@code -Xms512m -Xmx512m}, or {@code default}
     */
    static String heapFlags() {
        StringBuilder s = new StringBuilder();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xms") || a.startsWith("-Xmx") || a.equals("-XX:+AlwaysPreTouch")) {
                s.append(s.length() == 0 ? "" : " ").append(a);
            }
        }
        return s.length() == 0 ? "default" : s.toString();
    }

    /**
     * Tells whether the last -Xms equals the last -Xmx.
     *
     * @return true when the heap is pinned
     */
    static boolean heapPinned() {
        String xms = null;
        String xmx = null;
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xms")) {
                xms = a.substring(4);
            } else if (a.startsWith("-Xmx")) {
                xmx = a.substring(4);
            }
        }
        return xms != null && xms.equalsIgnoreCase(xmx);
    }

    /** A small training workload and the manager whose arrays are counted. */
    private record Small(Timer.Work work, AutoCloseable resource, ai.djl.ndarray.NDManager manager)
            implements AutoCloseable {

        static Small open(String workload, Device device) {
            switch (workload) {
                case "gan":
                    GanTraining g = new GanTraining(device, SMALL, 16, 16, 42);
                    return new Small(g, g, g.manager());
                case "ddpm":
                    DdpmTraining d =
                            new DdpmTraining(
                                    device,
                                    SMALL,
                                    UNet.builder()
                                            .setChannels(SMALL.channels())
                                            .optBaseChannels(16)
                                            .optChannelMultipliers(1, 2)
                                            .optNumResBlocks(1)
                                            .optGroups(4),
                                    8,
                                    42);
                    return new Small(d, d, d.manager());
                default:
                    throw new GenLabException(
                            "Unknown memory workload '" + workload + "': use gan or ddpm.");
            }
        }

        int arrays() {
            return manager.getManagedArrays().size();
        }

        @Override
        public void close() {
            try {
                resource.close();
            } catch (Exception e) {
                throw new GenLabException("Cannot close the memory workload", e);
            }
        }
    }
}
