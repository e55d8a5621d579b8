package org.genlab.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command-line options of the benchmark, shared by {@code genlab bench} and {@link BenchMain}
 * (a picocli mixin). Options left unset take the full preset's value, or the quick preset's with
 * {@code --quick}.
 */
public final class BenchOptions {

    @Option(
            names = "--rows",
            split = ",",
            paramLabel = "PREFIX",
            description =
                    "Rows to run, by id prefix: train/dcgan, train/ddpm, train/autoencoder,"
                            + " train/latent-flow, sample/gan, sample/ddpm, sample/ddim,"
                            + " sample/flow-euler-50, sample/latent-flow-euler-50, train, sample,"
                            + " or a full id such as train/dcgan/mnist/b64 (default: all).")
    List<String> rows;

    @Option(
            names = "--data",
            split = ",",
            paramLabel = "SIZE",
            description = "Image sizes: mnist (1x28x28), cifar10 (3x32x32) (default: both).")
    List<String> data;

    @Option(
            names = "--batches",
            split = ",",
            paramLabel = "B",
            description = "Training batch sizes (default: 64,128; quick: 64).")
    List<Integer> batches;

    @Option(
            names = "--sample-batch",
            paramLabel = "B",
            description = "Batch of the sampling rows (default: 64; quick: 16).")
    Integer sampleBatch;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            description = "Untimed runs before each row (default: 2; quick: 1).")
    Integer warmup;

    @Option(
            names = "--repeats",
            paramLabel = "N",
            description = "Timed repeats per row; the median is reported (default: 5; quick: 3).")
    Integer repeats;

    @Option(
            names = "--min-repeat-seconds",
            paramLabel = "S",
            description = "Least duration of one repeat (default: 1; quick: 0.2).")
    Double minRepeatSeconds;

    @Option(
            names = "--ddpm-steps",
            paramLabel = "N",
            description =
                    "DDPM sampling steps actually timed; fewer than 1000 are scaled to DDPM-1000"
                            + " and the row says so (default: 100; quick: 10).")
    Integer ddpmSteps;

    @Option(
            names = "--gan-width",
            paramLabel = "W",
            description = "DCGAN base width (default: 64).")
    Integer ganWidth;

    @Option(
            names = "--unet-preset",
            paramLabel = "cpu|gpu",
            description = "UNet preset (default: cpu).")
    String unetPreset;

    @Option(
            names = "--memory-steps",
            paramLabel = "N",
            description =
                    "Steps of the long memory run per workload, in a JVM with a pinned heap; 0"
                            + " skips it (default: 10000; quick: 0).")
    Long memorySteps;

    @Option(
            names = "--memory-workloads",
            split = ",",
            paramLabel = "W",
            description = "Workloads of the memory run: gan, ddpm (default: gan,ddpm).")
    List<String> memoryWorkloads;

    @Option(
            names = "--memory-heap",
            paramLabel = "SIZE",
            description = "Pinned heap (-Xms = -Xmx) of the memory run (default: 256m).")
    String memoryHeap;

    @Option(
            names = "--memory-limit",
            paramLabel = "PERCENT",
            description = "Allowed resident-memory growth after warm-up (default: 2).")
    Double memoryLimit;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Folder for genlab.json and genlab.md (default: bench/results).")
    Path out;

    @Option(
            names = "--list",
            description = "Print the ids of the selected rows, one a line, and measure nothing.")
    boolean list;

    @Option(
            names = "--quick",
            description =
                    "A short run (minutes): batch 64, fewer repeats and DDPM steps, no memory run.")
    boolean quick;

    /**
     * Tells whether only the row ids were asked for.
     *
     * @return true with {@code --list}
     */
    public boolean listOnly() {
        return list;
    }

    /**
     * Resolves the options into settings.
     *
     * @param seed the seed
     * @return the settings
     */
    public BenchSettings settings(long seed) {
        return new BenchSettings(
                rows == null ? List.of() : List.copyOf(rows),
                data == null ? List.of("mnist", "cifar10") : List.copyOf(data),
                batches != null ? List.copyOf(batches) : quick ? List.of(64) : List.of(64, 128),
                or(sampleBatch, 64, 16),
                or(warmup, 2, 1),
                or(repeats, 5, 3),
                or(minRepeatSeconds, 1.0, 0.2),
                or(ddpmSteps, 100, 10),
                or(ganWidth, 64, 64),
                unetPreset == null ? "cpu" : unetPreset,
                or(memorySteps, 10_000L, 0L),
                memoryWorkloads == null ? List.of("gan", "ddpm") : List.copyOf(memoryWorkloads),
                memoryHeap == null ? "256m" : memoryHeap,
                or(memoryLimit, 2.0, 2.0),
                out == null ? Path.of("bench", "results") : out,
                quick,
                seed);
    }

    private <T> T or(T value, T full, T quickValue) {
        return value != null ? value : quick ? quickValue : full;
    }
}
