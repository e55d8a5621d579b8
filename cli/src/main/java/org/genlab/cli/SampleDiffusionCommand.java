package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.sampler.DdpmSampler;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.diffusion.viz.Trajectories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab sample diffusion}: draws samples from a trained diffusion run. */
@Command(
        name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
            "Sample a trained diffusion model with DDPM (all T steps) or DDIM (any number"
                    + " of steps); EMA weights. Writes a PNG grid (and with --gif the denoising"
                    + " trajectory)."
        })
public final class SampleDiffusionCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "The run folder.")
    Path run;

    @Option(names = "--sampler", defaultValue = "ddim", description = "ddpm or ddim.")
    String sampler;

    @Option(names = "--steps", defaultValue = "50", description = "DDIM steps (default 50).")
    int steps;

    @Option(names = "--eta", defaultValue = "0", description = "DDIM η (0 = deterministic).")
    float eta;

    @Option(names = "--class", description = "Draw only this class (conditional runs).")
    Integer clazz;

    @Option(
            names = "--guidance",
            defaultValue = "3",
            description = "Classifier-free guidance weight w (conditional runs).")
    float guidance;

    @Option(
            names = "--no-ema",
            description = "Sample with the raw trained weights instead of their EMA.")
    boolean noEma;

    @Option(names = "--n", defaultValue = "64", description = "How many samples.")
    int n;

    @Option(names = "--gif", description = "Also write the trajectory GIF and x_t/x̂_0 strip.")
    boolean gif;

    @Option(names = "--out", description = "Output PNG (default RUN/samples/<sampler>.png).")
    Path out;

    @Override
    public Integer call() {
        RunFolder folder = RunFolder.open(run);
        // a run of a custom denoiser or schedule stops here, with a line on sampling it from code
        ModelSpec spec = ModelSpec.fromConfig(folder.config());
        if (spec.sampleShape().dimension() != 3) {
            throw new GenLabException(
                    "sample diffusion draws images; this run is a 2D model ("
                            + spec.network()
                            + "): its pictures are in "
                            + folder.samplesDir()
                            + ".");
        }
        if (n < 1) {
            throw new GenLabException("--n must be ≥ 1.");
        }
        if (clazz != null && (spec.numClasses() == 0 || clazz < 0 || clazz >= spec.numClasses())) {
            throw new GenLabException(
                    spec.numClasses() == 0
                            ? "--class needs a run trained with --conditional."
                            : "--class must be in 0.." + (spec.numClasses() - 1) + ".");
        }
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device())) {
            Block block = spec.build(m);
            Checkpoint cp = Checkpoint.inspect(folder.checkpointFile());
            Checkpoint.loadNetwork(
                    folder.checkpointFile(), ModelSpec.MODEL, ModelSpec.NETWORK, block, !noEma);
            Sampler s = sampler(spec);
            Denoiser d = spec.denoiser(block);
            NDArray labels = null;
            int columns = (int) Math.ceil(Math.sqrt(n));
            if (spec.numClasses() > 0) {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = clazz != null ? clazz : i % spec.numClasses();
                }
                labels = m.create(l);
                if (clazz == null) {
                    columns = spec.numClasses();
                }
                d = new ClassifierFreeGuidance(d, spec.numClasses(), guidance);
            }
            Seeds.seed(seed);
            NDArray xT = m.randomNormal(spec.batchShape(n));
            Trajectories.Recorder rec =
                    gif
                            ? new Trajectories.Recorder(
                                    Math.max(1, s.timesteps().length / 25), columns, 2)
                            : null;
            long t0 = System.nanoTime();
            NDArray x = s.sample(d, xT, labels, rec);
            x.toFloatArray();
            double secs = (System.nanoTime() - t0) / 1e9;
            String name = sampler + (sampler.equals("ddim") ? "-" + steps : "");
            Path file = out != null ? out : folder.samplesDir().resolve(name + ".png");
            Provenance prov =
                    Provenance.builder()
                            .optModel("diffusion unet, step " + cp.getStep())
                            .optRun(run.getFileName().toString())
                            .optSeed(seed)
                            .opt("sampler", name + (sampler.equals("ddim") ? " eta=" + eta : ""))
                            .opt(
                                    "guidance",
                                    spec.numClasses() > 0 ? Float.toString(guidance) : "none")
                            .build();
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(x)
                            .optColumns(columns)
                            .optScale(2)
                            .build()
                            .render(),
                    file,
                    prov);
            if (rec != null) {
                Path base = file.resolveSibling(file.getFileName().toString().replace(".png", ""));
                AnimatedGif.write(Path.of(base + "-trajectory.gif"), rec.frames(), 80, 1500, prov);
                PngWriter.write(rec.strip(), Path.of(base + "-strip.png"), prov);
            }
            System.out.printf(
                    Locale.ROOT,
                    "Wrote %d samples to %s: %s, %d network calls, %.2f s (%.2f images/s).%n",
                    n,
                    file,
                    name,
                    s.timesteps().length,
                    secs,
                    n / secs);
        }
        return 0;
    }

    private Sampler sampler(ModelSpec spec) {
        switch (sampler) {
            case "ddpm":
                return DdpmSampler.builder().setSchedule(spec.noiseSchedule()).build();
            case "ddim":
                return DdimSampler.builder()
                        .setSchedule(spec.noiseSchedule())
                        .optSteps(steps)
                        .optEta(eta)
                        .build();
            default:
                throw new GenLabException("Unknown --sampler '" + sampler + "': use ddpm or ddim.");
        }
    }
}
