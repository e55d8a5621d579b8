package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.flow.FlowSampler;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.guidance.ClassifierGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.diffusion.viz.Trajectories;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.text.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab sample diffusion}: draws samples from a trained diffusion or flow run. */
@Command(
        name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
            "Sample a trained diffusion model with DDPM (all T steps) or DDIM (any number of"
                    + " steps), or a flow-matching model with Euler or Heun steps; latent runs are"
                    + " decoded by their autoencoder. EMA weights. Writes a PNG grid (and with"
                    + " --gif the denoising trajectory)."
        })
public final class SampleDiffusionCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "The run folder.")
    Path run;

    @Option(
            names = "--sampler",
            description =
                    "ddpm or ddim (default) for DDPM runs; euler (default) or heun for flow runs.")
    String sampler;

    @Option(
            names = "--steps",
            defaultValue = "50",
            description = "DDIM, Euler or Heun steps (default 50).")
    int steps;

    @Option(names = "--eta", defaultValue = "0", description = "DDIM η (0 = deterministic).")
    float eta;

    @Option(names = "--class", description = "Draw only this class (conditional runs).")
    Integer clazz;

    @Option(
            names = "--prompt",
            description =
                    "What to draw, for a text-conditional run (train diffusion --text), e.g. \"a"
                            + " bold 7 leaning right\"; repeat it for one row per prompt (--n"
                            + " samples shared among them).")
    List<String> prompts;

    @Option(
            names = "--guidance",
            defaultValue = "3",
            description = "Classifier-free guidance weight w (conditional and text runs).")
    float guidance;

    @Option(
            names = "--classifier-scale",
            description =
                    "Classifier guidance scale s (Dhariwal & Nichol 2021) towards --class (or one"
                            + " class per column), with the run's noisy classifier (genlab train"
                            + " noisy-classifier); works on unconditional runs too.")
    Float classifierScale;

    @Option(
            names = "--no-ema",
            description = "Sample with the raw trained weights instead of their EMA.")
    boolean noEma;

    @Option(names = "--n", defaultValue = "64", description = "How many samples (1 to 4096).")
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
        if (classifierScale != null && !(classifierScale >= 0 && classifierScale < 1000)) {
            throw new GenLabException(
                    "--classifier-scale must be a number in [0, 1000), got "
                            + classifierScale
                            + ".");
        }
        Checks.fitsInMemory("--n", n, spec.sampleShape().size() * 4L, 400);
        if (prompts != null && !spec.isTextConditional()) {
            throw new GenLabException(
                    "--prompt needs a text-conditional run (genlab train diffusion --text); this"
                            + " one "
                            + (spec.numClasses() > 0 ? "takes --class." : "is unconditional."));
        }
        if (spec.isTextConditional() && (prompts == null || prompts.isEmpty())) {
            throw new GenLabException(
                    "This run draws from captions: give --prompt \"a bold 7\" (repeat it for"
                            + " several).");
        }
        if (spec.isTextConditional() && (clazz != null || classifierScale != null)) {
            throw new GenLabException(
                    "--class and --classifier-scale apply to class-conditional runs; this one reads"
                            + " --prompt.");
        }
        long[][] promptIds = null;
        int perPrompt = prompts == null ? n : Math.max(1, n / prompts.size());
        if (prompts != null && prompts.size() > 1) {
            n = perPrompt * prompts.size();
        }
        if (prompts != null) {
            Tokenizer tok = TextConditioning.tokenizer(folder.config());
            int len = TextConditioning.maxLength(folder.config());
            promptIds = new long[prompts.size()][];
            for (int i = 0; i < prompts.size(); i++) {
                // an unknown word stops here, before the model loads
                promptIds[i] = tok.encode(prompts.get(i), len);
            }
        }
        boolean guided = classifierScale != null;
        int classes = guided ? 10 : spec.numClasses();
        if (clazz != null && (classes == 0 || clazz < 0 || clazz >= classes)) {
            throw new GenLabException(
                    classes == 0
                            ? "--class needs a run trained with --conditional, or"
                                    + " --classifier-scale."
                            : "--class must be in 0.." + (classes - 1) + ".");
        }
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                TrainedModel model = TrainedModel.open(folder, m, !noEma)) {
            String name = sampler != null ? sampler : model.defaultSampler();
            Sampler s = model.sampler(name, steps, eta);
            Denoiser d = model.denoiser();
            NDArray labels = null;
            int columns = (int) Math.ceil(Math.sqrt(n));
            if (classes > 0) {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = clazz != null ? clazz : i % classes;
                }
                labels = m.create(l);
                if (clazz == null) {
                    columns = classes;
                }
            }
            if (spec.numClasses() > 0) {
                d = new ClassifierFreeGuidance(d, spec.numClasses(), guidance);
            }
            if (promptIds != null) {
                // one row of samples per prompt
                long[][] rows = new long[n][];
                for (int i = 0; i < n; i++) {
                    rows[i] = promptIds[Math.min(promptIds.length - 1, i / perPrompt)];
                }
                labels = m.create(rows);
                columns = promptIds.length > 1 ? perPrompt : columns;
                d = ClassifierFreeGuidance.forCaptions(d, guidance);
            }
            if (guided) {
                d =
                        ClassifierGuidance.builder()
                                .setDenoiser(d)
                                .setClassifier(
                                        GuidanceClassifiers.load(run, m, model.sampleShape()))
                                .setSampler(s)
                                .optScale(classifierScale)
                                .optPassLabels(spec.numClasses() > 0)
                                .build();
            }
            Seeds.seed(seed);
            NDArray xT = m.randomNormal(model.batchShape(n));
            Trajectories.Recorder rec =
                    gif
                            ? new Trajectories.Recorder(
                                            Math.max(1, s.timesteps().length / 25), columns, 2)
                                    .optLastStep(s.timesteps().length - 1)
                                    .optDecoder(model::decode)
                            : null;
            long t0 = System.nanoTime();
            NDArray x = model.decode(s.sample(d, xT, labels, rec));
            x.toFloatArray();
            double secs = (System.nanoTime() - t0) / 1e9;
            String label = name + (name.equals("ddpm") ? "" : "-" + steps);
            Path file = out != null ? out : folder.samplesDir().resolve(label + ".png");
            Provenance prov =
                    Provenance.builder()
                            .optModel(
                                    (model.isFlow() ? "flow" : "diffusion")
                                            + (model.isLatent() ? " latent" : "")
                                            + " unet, step "
                                            + model.checkpoint().getStep())
                            .optRun(run.getFileName().toString())
                            .optSeed(seed)
                            .opt("prompt", prompts == null ? "" : String.join(" | ", prompts))
                            .opt("sampler", label + (name.equals("ddim") ? " eta=" + eta : ""))
                            .opt(
                                    "guidance",
                                    (spec.numClasses() > 0 || promptIds != null
                                                    ? "cfg w=" + guidance
                                                    : "none")
                                            + (guided ? ", classifier s=" + classifierScale : ""))
                            .build();
            SampleGrid.Builder grid =
                    SampleGrid.builder().setImages(x).optColumns(columns).optScale(2);
            if (prompts != null && prompts.size() > 1) {
                grid.optRowLabels(prompts);
            }
            PngWriter.write(grid.build().render(), file, prov);
            if (rec != null) {
                Path base = file.resolveSibling(file.getFileName().toString().replace(".png", ""));
                AnimatedGif.write(Path.of(base + "-trajectory.gif"), rec.frames(), 80, 1500, prov);
                PngWriter.write(rec.strip(), Path.of(base + "-strip.png"), prov);
            }
            int calls =
                    s instanceof FlowSampler
                                    && ((FlowSampler) s).method() == FlowSampler.Method.HEUN
                            ? 2 * s.timesteps().length - 1
                            : s.timesteps().length;
            System.out.printf(
                    Locale.ROOT,
                    "Wrote %d samples to %s: %s, %d network calls%s, %.2f s (%.2f images/s).%n",
                    n,
                    file,
                    label,
                    calls,
                    model.isLatent() ? " on latents " + model.sampleShape() + " + decoding" : "",
                    secs,
                    n / secs);
        }
        return 0;
    }
}
