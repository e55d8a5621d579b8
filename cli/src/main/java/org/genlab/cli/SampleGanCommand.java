package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.gan.GanModels;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.sample.GanSampler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab sample gan}: draws a grid from a trained GAN run (EMA weights when saved). */
@Command(
        name = "gan",
        mixinStandardHelpOptions = true,
        description = {
            "Draw samples from a GAN run as a PNG grid (with provenance).",
            "A conditional model draws one row per class, or only --class K.",
            "Example: genlab sample gan --run runs/dcgan --n 64 --truncation 0.7"
        })
public final class SampleGanCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, description = "A run folder of genlab train gan.")
    Path run;

    @Option(names = "--class", description = "Only this class (conditional models).")
    Integer label;

    @Option(names = "--n", defaultValue = "64", description = "Number of samples (default: 64).")
    int n;

    @Option(
            names = "--truncation",
            defaultValue = "0",
            description = "Truncation threshold tau (BigGAN); 0 for none (default).")
    float truncation;

    @Option(names = "--out", description = "PNG to write (default RUN/sample.png).")
    Path outFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunFolder folder = RunFolder.open(run);
        if (!folder.hasCheckpoint()) {
            throw new GenLabException("Run " + run + " has no checkpoint yet: train it first.");
        }
        GanModels models = GanModels.fromConfig(folder.config());
        Path file = outFile != null ? outFile : run.resolve("sample.png");
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device())) {
            Generator g = models.newGenerator();
            g.initialize(m);
            Checkpoint cp =
                    Checkpoint.loadNetwork(folder.checkpointFile(), models.kind(), "G", g, true);
            Seeds.seed(GlobalOptions.seed());
            GanSampler s =
                    GanSampler.builder()
                            .setGenerator(g)
                            .optModelName(models.kind())
                            .optRunName(run.getFileName().toString())
                            .optSeed(GlobalOptions.seed())
                            .build();
            String what =
                    "step " + cp.getStep() + (truncation > 0 ? ", truncation " + truncation : "");
            if (!g.isImage()) {
                s.writePoints(
                        s.sample(m, Math.max(n, 1000), null, truncation),
                        null,
                        null,
                        null,
                        file,
                        what);
            } else if (g.isConditional() && label == null) {
                int per = Math.max(1, n / g.numClasses());
                s.writeGrid(s.classGrid(m, per, truncation), per, s.classNames(), file, what);
            } else {
                NDArray labels =
                        g.isConditional() ? m.full(new Shape(n), label, DataType.INT32) : null;
                if (label != null && (label < 0 || label >= Math.max(1, g.numClasses()))) {
                    throw new GenLabException(
                            "--class " + label + " is not a class of this model.");
                }
                s.writeGrid(
                        s.sample(m, n, labels, truncation),
                        (int) Math.ceil(Math.sqrt(n)),
                        null,
                        file,
                        what);
            }
            out.println("Wrote " + file);
        }
        return 0;
    }
}
