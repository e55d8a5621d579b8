package org.genlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.genlab.bench.work.DdpmTraining;
import org.genlab.bench.work.GanTraining;
import org.genlab.diffusion.nn.UNet;
import org.junit.jupiter.api.Test;

/**
 * Catches per-step leaks in the real trainers, the short version of the benchmark's long memory
 * run.
 *
 * <p>Two kinds of leak, two checks. An array left in a long-lived manager (DJL puts an op's result
 * in its first operand's manager, so an op on a parameter or a gradient does that unless told
 * otherwise) makes the manager's array count grow with the steps: after N and after 2N steps it
 * must be the same. Native memory nothing counts (a handle no manager holds) only shows in the
 * resident memory: a child JVM with a pinned, pre-touched heap trains for a while and its resident
 * memory must stop growing after warm-up.
 */
class MemoryLeakTest {

    private static final int WARMUP = 10;
    private static final int STEPS = 15;

    @Test
    void ganTrainingStepsLeaveNoArraysBehind() {
        try (GanTraining w = new GanTraining(Device.cpu(), MemoryStability.SMALL, 8, 4, 1)) {
            int[] counts = counts(w, w.manager());
            assertThat(counts[1]).as("arrays after N and 2N more steps").isEqualTo(counts[0]);
            assertThat(counts[2]).isEqualTo(counts[0]);
        }
    }

    @Test
    void ddpmTrainingStepsLeaveNoArraysBehind() {
        UNet.Builder small =
                UNet.builder()
                        .setChannels(1)
                        .optBaseChannels(8)
                        .optChannelMultipliers(1, 2)
                        .optNumResBlocks(1)
                        .optGroups(4);
        try (DdpmTraining w = new DdpmTraining(Device.cpu(), MemoryStability.SMALL, small, 4, 1)) {
            int[] counts = counts(w, w.manager());
            assertThat(counts[1]).as("arrays after N and 2N more steps").isEqualTo(counts[0]);
            assertThat(counts[2]).isEqualTo(counts[0]);
        }
    }

    /** Array counts after the warm-up, N more steps and 2N more steps. */
    private static int[] counts(Timer.Work w, ai.djl.ndarray.NDManager manager) {
        long step = 0;
        int[] c = new int[3];
        for (int phase = 0; phase < 3; phase++) {
            int n = phase == 0 ? WARMUP : STEPS;
            for (int i = 0; i < n; i++) {
                w.run(step++, true);
            }
            c[phase] = manager.getManagedArrays().size();
        }
        return c;
    }

    @Test
    void residentMemoryStopsGrowingInALongerRun() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        MemoryStability.Result r =
                MemoryStability.runInChildJvm(
                        "gan",
                        1500,
                        "256m",
                        2,
                        "cpu",
                        new PrintStream(log, true, StandardCharsets.UTF_8));
        String why = r.summary() + "\n" + log.toString(StandardCharsets.UTF_8);
        System.out.println(r.summary());
        assertThat(r.heapPinned()).as(why).isTrue();
        assertThat(r.arraysEnd()).as(why).isEqualTo(r.arraysAfterWarmup());
        assertThat(r.growthPercent()).as(why).isLessThan(2);
        // A leak raises the floor of the resident memory for good; the allocator's noise moves it
        // by ±10 MiB both ways within a run (the least-squares slope of the second half swung
        // between −28 and +5 KiB per step over runs of the same code, old and new). So compare the
        // lowest RSS of the last quarter with the lowest of the third: leaking one 4096-float
        // tensor per step (16 KiB) measured 6.8 KiB per step here.
        double floor = floorGrowthBytesPerStep(r.trace(), r.steps());
        System.out.printf(
                java.util.Locale.ROOT, "  floor growth, last quarter: %+.0f bytes/step%n", floor);
        assertThat(floor).as(why).isLessThan(4 * 1024);
    }

    /** (lowest RSS over the last quarter − lowest over the third quarter) per step, in bytes. */
    static double floorGrowthBytesPerStep(java.util.List<double[]> trace, long steps) {
        double third = Double.MAX_VALUE;
        double last = Double.MAX_VALUE;
        for (double[] p : trace) {
            if (p[0] > steps / 2 && p[0] <= 3 * steps / 4) {
                third = Math.min(third, p[1]);
            } else if (p[0] > 3 * steps / 4) {
                last = Math.min(last, p[1]);
            }
        }
        return (last - third) * 1024 * 1024 / (steps / 4.0);
    }
}
