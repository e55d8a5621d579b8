package org.genlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.genlab.eval.compare.Comparison;
import org.genlab.eval.compare.ComparisonResult;
import org.genlab.eval.compare.HtmlReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab compare}: measures trained runs side by side and writes an HTML report. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare trained GAN and diffusion runs of one data set: Fréchet distance in a"
                    + " classifier's feature space (with the real-vs-real floor), precision and"
                    + " recall, class coverage, nearest training images, and sampling speed (GAN,"
                    + " DDPM, DDIM-50, DDIM-10) on one device; for a text-conditional run, prompt"
                    + " accuracy (class and attributes, test and held-out compositions). Writes"
                    + " OUT/index.html (self-contained), OUT/report.json and the pictures."
        })
public final class CompareCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--runs",
            required = true,
            arity = "1..*",
            description = "Run folders written by genlab train gan / train diffusion.")
    Path[] runs;

    @Option(
            names = "--out",
            defaultValue = "reports/compare",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--n",
            defaultValue = "1000",
            description =
                    "Samples per model for the metrics, at least 200 (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(
            names = "--speed-batch",
            defaultValue = "64",
            description = "Batch size of the speed measurement (default: ${DEFAULT-VALUE}).")
    int speedBatch;

    @Option(names = "--data-dir", description = "Data cache (default: ~/.genlab/data).")
    Path dataDir;

    @Option(names = "--note", description = "A line of text shown under the report's title.")
    String note;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Comparison.Builder b =
                Comparison.builder()
                        .setOutput(out)
                        .optSamples(n)
                        .optSpeedBatch(speedBatch)
                        .optDevice(GlobalOptions.device())
                        .optDataDir(dataDir)
                        .optSeed(GlobalOptions.seed());
        for (Path r : runs) {
            b.addRun(r);
        }
        ComparisonResult result = b.build().run();
        Path page = HtmlReport.write(result, out, note);
        w.println("Report: " + page.toAbsolutePath());
        w.println("Numbers: " + out.resolve("report.json").toAbsolutePath());
        w.flush();
        return 0;
    }
}
