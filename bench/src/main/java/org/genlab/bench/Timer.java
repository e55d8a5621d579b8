package org.genlab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times a piece of work the way the benchmark reports it: a few warm-up runs (not counted), then
 * {@code repeats} timed repeats of k runs each; the result is the median over the repeats of the
 * time per run.
 *
 * <p>k is chosen from the last warm-up run so that a repeat lasts at least {@code minSeconds} (at
 * least 1 run). Only the last run of a repeat waits for the device ({@code sync = true}); on a GPU
 * the runs before it are queued asynchronously, as in real training, and the one sync at the end
 * makes the clock see all of them.
 *
 * <p>Besides the wall-clock time, each repeat records the CPU time the whole process used (every
 * thread: the engine's, the JIT compiler's, the garbage collector's). On a machine shared with
 * other busy processes the wall time depends on how much of a core the scheduler gives; the CPU
 * time much less so, which makes it the steadier number to compare two programs by there.
 */
public final class Timer {

    private Timer() {}

    /** Work to time: one training step, or one sampled batch. */
    @FunctionalInterface
    public interface Work {
        /**
         * Runs once.
         *
         * @param index a running number (the step number for training)
         * @param sync true to wait until the device has finished this run
         */
        void run(long index, boolean sync);
    }

    /**
     * What one row measured.
     *
     * @param medianMs the median over the repeats of the milliseconds per run
     * @param minMs the fastest repeat
     * @param maxMs the slowest repeat
     * @param repeatsMs every repeat's milliseconds per run, in order
     * @param runsPerRepeat k
     * @param warmup the warm-up runs
     * @param cpuMedianMs the median over the repeats of the process CPU milliseconds per run
     * @param cpuRepeatsMs every repeat's process CPU milliseconds per run
     */
    public record Measurement(
            double medianMs,
            double minMs,
            double maxMs,
            List<Double> repeatsMs,
            int runsPerRepeat,
            int warmup,
            double cpuMedianMs,
            List<Double> cpuRepeatsMs) {

        /**
         * Scales every time, e.g. to extrapolate a reduced number of sampling steps.
         *
         * @param factor the factor
         * @return the scaled measurement
         */
        public Measurement scaled(double factor) {
            return new Measurement(
                    medianMs * factor,
                    minMs * factor,
                    maxMs * factor,
                    times(repeatsMs, factor),
                    runsPerRepeat,
                    warmup,
                    cpuMedianMs * factor,
                    times(cpuRepeatsMs, factor));
        }

        private static List<Double> times(List<Double> values, double factor) {
            List<Double> s = new ArrayList<>();
            for (double v : values) {
                s.add(v * factor);
            }
            return s;
        }
    }

    /**
     * Measures.
     *
     * @param work the work
     * @param warmup warm-up runs (at least 1)
     * @param repeats timed repeats (at least 1)
     * @param minSeconds the least duration of one repeat
     * @return the measurement
     */
    public static Measurement measure(Work work, int warmup, int repeats, double minSeconds) {
        long index = 0;
        double last = 0;
        for (int i = 0; i < Math.max(1, warmup); i++) {
            long t0 = System.nanoTime();
            work.run(index++, true);
            last = (System.nanoTime() - t0) / 1e9;
        }
        int k = (int) Math.max(1, Math.ceil(minSeconds / Math.max(last, 1e-6)));
        List<Double> ms = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int r = 0; r < Math.max(1, repeats); r++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int j = 0; j < k; j++) {
                work.run(index++, j == k - 1);
            }
            ms.add((System.nanoTime() - t0) / 1e6 / k);
            cpu.add((processCpuNanos() - c0) / 1e6 / k);
        }
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        List<Double> cpuSorted = new ArrayList<>(cpu);
        Collections.sort(cpuSorted);
        return new Measurement(
                median(sorted),
                sorted.get(0),
                sorted.get(sorted.size() - 1),
                ms,
                k,
                warmup,
                median(cpuSorted),
                cpu);
    }

    /**
     * Returns the CPU time this process has used, all threads together.
     *
     * @return nanoseconds, or 0 where the JVM cannot tell
     */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return 0;
    }

    /**
     * Returns the median of sorted values (the mean of the middle two for an even count).
     *
     * @param sorted the values, ascending
     * @return the median
     */
    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
