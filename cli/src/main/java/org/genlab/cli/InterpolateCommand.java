package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

/**
 * {@code genlab interpolate}: walks through a trained generator's latent space, and mixes latents
 * ("combining faces").
 */
@Command(
        name = "interpolate",
        mixinStandardHelpOptions = true,
        description = {
            "Walk a straight (or, with --slerp, a great-circle) path between two random"
                    + " latents of a trained GAN, and mix latents row by column. Writes"
                    + " RUN/interpolation.png (a strip), RUN/interpolation.gif (there and back) and"
                    + " RUN/mixing.png."
        })
public final class InterpolateCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, description = "A run folder of genlab train gan.")
    Path run;

    @Option(
            names = "--steps",
            defaultValue = "10",
            description = "Images along the path, ends included (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--slerp",
            description =
                    "Spherical interpolation (better for Gaussian latents) instead of linear.")
    boolean slerp;

    @Option(
            names = "--class",
            defaultValue = "0",
            description = "Class to draw, for conditional models (default: ${DEFAULT-VALUE}).")
    int label;

    @Option(
            names = "--mix",
            defaultValue = "0.5",
            description =
                    "Share of the column latent in each mixed cell (default: ${DEFAULT-VALUE}).")
    float mix;

    @Option(
            names = "--truncation",
            defaultValue = "0",
            description = "Truncation threshold for the latents, 0 for none (default: 0).")
    float truncation;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunFolder folder = RunFolder.open(run);
        GanModels models = GanModels.fromConfig(folder.config());
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device())) {
            Generator g = models.newGenerator();
            g.initialize(m);
            if (!g.isImage()) {
                throw new GenLabException(
                        "Run " + run + " models 2D points; interpolation pictures need images.");
            }
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
            String what = (slerp ? "slerp" : "lerp") + " interpolation, step " + cp.getStep();
            NDArray path = s.interpolation(m, steps, slerp, label, truncation);
            Path png = run.resolve("interpolation.png");
            Path gif = run.resolve("interpolation.gif");
            s.writeInterpolation(path, png, gif, what);
            int size = 5;
            NDArray mixed = s.mixingGrid(m, size, mix, label, truncation);
            Path mixing = run.resolve("mixing.png");
            s.writeGrid(
                    mixed,
                    size + 1,
                    null,
                    mixing,
                    "latent mixing " + mix + ", step " + cp.getStep());
            out.println("Wrote " + png + ", " + gif + " and " + mixing);
            out.println(
                    "In mixing.png the top row and left column are the pure latents; each other"
                            + " cell blends its row's latent with its column's.");
        }
        return 0;
    }
}
