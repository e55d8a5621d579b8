package org.genlab.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.genlab.bench.BenchMain;
import org.genlab.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code genlab bench}: training and sampling speed and memory, the numbers that {@code
 * bench/run-vs-pytorch} puts next to PyTorch's.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure training and sampling speed and memory on random inputs of the data"
                    + " sets' shapes, with GenLab's real networks: DCGAN and DDPM UNet training steps"
                    + " (MNIST and CIFAR-10 sizes, batch 64 and 128), GAN / DDPM-1000 / DDIM-50 /"
                    + " DDIM-10 sampling, peak resident memory, and a long memory run (10,000 small"
                    + " steps, heap pinned).",
            "Medians over repeats after warm-up. Writes OUT/genlab.json and OUT/genlab.md.",
            "Compare with PyTorch: bench/run-vs-pytorch."
        })
public final class BenchCommand implements Callable<Integer> {

    @Mixin BenchOptions options;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        return BenchMain.run(options, GlobalOptions.seed(), GlobalOptions.device(), out);
    }
}
