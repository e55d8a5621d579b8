package org.genlab.bench;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.genlab.core.runtime.Devices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmark as a plain Java program, for running it without the {@code genlab} command:
 *
 * <pre>
 *   java -cp … org.genlab.bench.BenchMain --quick --out bench-results
 * </pre>
 *
 * It takes the same options as {@code genlab bench}.
 */
@Command(
        name = "genlab-bench",
        mixinStandardHelpOptions = true,
        description = "Measure GenLab's training and sampling speed and its memory.")
public final class BenchMain implements Callable<Integer> {

    @Mixin BenchOptions options;

    @Option(
            names = "--device",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of weights and inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        return run(options, seed, Devices.resolve(device), System.out);
    }

    /**
     * Runs the benchmark as the options say: prints the row ids ({@code --list}), or measures,
     * prints the table and writes {@code genlab.json} and {@code genlab.md}.
     *
     * @param options the command-line options
     * @param seed the seed
     * @param device the device
     * @param out where to print
     * @return 0, or 1 when a memory run failed
     */
    public static int run(BenchOptions options, long seed, Device device, PrintStream out) {
        BenchSettings settings = options.settings(seed);
        Benchmark bench = new Benchmark(settings, device, out);
        if (options.listOnly()) {
            bench.plan().forEach(p -> out.println(p.id()));
            return 0;
        }
        BenchReport r = bench.run();
        Path json = r.write(settings.out(), "genlab");
        out.println();
        out.println(r.toMarkdown());
        out.println("Results: " + json.toAbsolutePath());
        return r.memoryStability().stream().allMatch(MemoryStability.Result::passed) ? 0 : 1;
    }

    /**
     * Runs the command line.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
