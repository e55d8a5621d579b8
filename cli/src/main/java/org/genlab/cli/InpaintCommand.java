package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.inpaint.Inpainter;
import org.genlab.diffusion.latent.LatentDiffusion;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.diffusion.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab inpaint}: completes the masked part of an image with a trained diffusion run. */
@Command(
        name = "inpaint",
        mixinStandardHelpOptions = true,
        description = {
            "Fill in part of an image with a trained diffusion or flow model (RePaint, Lugmayr"
                    + " et al. 2022; on a latent run approximately, on the latent grid). Writes a"
                    + " PNG: the input, the masked input and --n completions."
        })
public final class InpaintCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--run", required = true, description = "The run folder.")
    Path run;

    @Option(names = "--image", required = true, description = "The PNG to complete.")
    Path image;

    @Option(
            names = "--mask",
            defaultValue = "right",
            description =
                    "What to generate: left, right, top, bottom, center, or a PNG (white = generate).")
    String mask;

    @Option(names = "--class", description = "Class to complete towards (conditional runs).")
    Integer clazz;

    @Option(names = "--guidance", defaultValue = "3", description = "Guidance weight w.")
    float guidance;

    @Option(names = "--steps", defaultValue = "100", description = "DDIM (or Euler) steps.")
    int steps;

    @Option(names = "--resample", defaultValue = "5", description = "RePaint resamplings r.")
    int resample;

    @Option(names = "--n", defaultValue = "8", description = "How many completions.")
    int n;

    @Option(names = "--out", description = "Output PNG (default RUN/samples/inpaint.png).")
    Path out;

    @Override
    public Integer call() {
        if (steps < 1 || steps > 1000 || resample < 1 || resample > 50) {
            throw new GenLabException(
                    "--steps must be in 1..1000 and --resample in 1..50, got "
                            + steps
                            + " and "
                            + resample
                            + ".");
        }
        RunFolder folder = RunFolder.open(run);
        // a run of a custom denoiser or schedule stops here, with a line on sampling it from code
        ModelSpec spec = ModelSpec.fromConfig(folder.config());
        if (spec.sampleShape().dimension() != 3) {
            throw new GenLabException(
                    "inpaint completes images; this run is a 2D model (" + spec.network() + ").");
        }
        if (!Files.isRegularFile(image)) {
            throw new GenLabException("No image at " + image + ".");
        }
        if (mask.endsWith(".png") && !Files.isRegularFile(Path.of(mask))) {
            throw new GenLabException("No mask image at " + mask + ".");
        }
        if (clazz != null && (spec.numClasses() == 0 || clazz < 0 || clazz >= spec.numClasses())) {
            throw new GenLabException("--class needs a conditional run and a valid class.");
        }
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                TrainedModel model = TrainedModel.open(folder, m, true)) {
            Shape img = model.imageShape();
            NDArray x = load(m, image, img);
            NDArray mk;
            if (mask.endsWith(".png")) {
                NDArray white = load(m, Path.of(mask), img).get(":, 0:1");
                mk = white.lt(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            } else {
                mk = Inpainter.mask(m, mask, (int) img.get(1), (int) img.get(2));
            }
            // a latent model inpaints its latent grid: approximate, the known pixels are pasted
            // back after decoding
            NDArray known = model.encode(x).repeat(0, n);
            NDArray latentMask =
                    model.isLatent() ? LatentDiffusion.latentMask(mk, model.sampleShape()) : mk;
            Denoiser d = model.denoiser();
            NDArray labels = null;
            if (clazz != null) {
                labels = m.full(new Shape(n), (long) clazz);
                d = new ClassifierFreeGuidance(d, spec.numClasses(), guidance);
            }
            Seeds.seed(seed);
            Inpainter inp =
                    Inpainter.builder()
                            .setSampler(model.sampler(model.defaultSampler(), steps, 0f))
                            .optResampling(resample)
                            .build();
            NDArray done = model.decode(inp.inpaint(d, known, latentMask, labels, null));
            if (model.isLatent()) {
                done = LatentDiffusion.pasteKnown(x.repeat(0, n), done, mk);
            }
            NDArray shown = x.mul(mk);
            NDArray all = x.concat(shown, 0).concat(done, 0);
            Path file = out != null ? out : folder.samplesDir().resolve("inpaint.png");
            PngWriter.write(
                    SampleGrid.builder()
                            .setImages(all)
                            .optColumns(n + 2)
                            .optScale(3)
                            .build()
                            .render(),
                    file,
                    Provenance.builder()
                            .optModel(
                                    (model.isFlow() ? "flow" : "diffusion")
                                            + (model.isLatent() ? " latent" : "")
                                            + " unet (RePaint"
                                            + (model.isLatent() ? ", in latent space" : "")
                                            + ")")
                            .optRun(run.getFileName().toString())
                            .optSeed(seed)
                            .opt("mask", mask)
                            .build());
            command.commandLine()
                    .getOut()
                    .println(
                            "Wrote input, masked input and "
                                    + n
                                    + " completions to "
                                    + file
                                    + (model.isLatent()
                                            ? " (latent run: the mask was applied on the "
                                                    + model.sampleShape()
                                                    + " latent grid, approximate at its border; the"
                                                    + " known pixels are pasted back)"
                                            : ""));
        }
        return 0;
    }

    private static NDArray load(NDManager m, Path png, Shape shape) {
        BufferedImage img = PngWriter.read(png);
        if (img.getWidth() != shape.get(2) || img.getHeight() != shape.get(1)) {
            throw new GenLabException(
                    png
                            + " is "
                            + img.getWidth()
                            + "×"
                            + img.getHeight()
                            + "; this model needs "
                            + shape.get(2)
                            + "×"
                            + shape.get(1)
                            + ".");
        }
        return ImageTensors.toTensor(m, List.of(img), (int) shape.get(0));
    }
}
