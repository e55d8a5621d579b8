package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.image.ImageTensors;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.inpaint.Inpainter;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.train.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab inpaint}: completes the masked part of an image with a trained diffusion run. */
@Command(
        name = "inpaint",
        mixinStandardHelpOptions = true,
        description = {
            "Fill in part of an image with a trained diffusion model (RePaint, Lugmayr et"
                    + " al. 2022). Writes a PNG: the input, the masked input and --n completions."
        })
public final class InpaintCommand implements Callable<Integer> {

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

    @Option(names = "--steps", defaultValue = "100", description = "DDIM steps.")
    int steps;

    @Option(names = "--resample", defaultValue = "5", description = "RePaint resamplings r.")
    int resample;

    @Option(names = "--n", defaultValue = "8", description = "How many completions.")
    int n;

    @Option(names = "--out", description = "Output PNG (default RUN/samples/inpaint.png).")
    Path out;

    @Override
    public Integer call() {
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
        if (clazz != null && (spec.numClasses() == 0 || clazz < 0 || clazz >= spec.numClasses())) {
            throw new GenLabException("--class needs a conditional run and a valid class.");
        }
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device())) {
            Block block = spec.build(m);
            Checkpoint.loadNetwork(
                    folder.checkpointFile(), ModelSpec.MODEL, ModelSpec.NETWORK, block, true);
            NDArray x = load(m, image, spec);
            NDArray known = x.repeat(0, n);
            NDArray mk;
            if (mask.endsWith(".png")) {
                NDArray white = load(m, Path.of(mask), spec).get(":, 0:1");
                mk = white.lt(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            } else {
                mk = Inpainter.mask(m, mask, spec.height(), spec.width());
            }
            Denoiser d = spec.denoiser(block);
            NDArray labels = null;
            if (clazz != null) {
                labels = m.full(new ai.djl.ndarray.types.Shape(n), (long) clazz);
                d = new ClassifierFreeGuidance(d, spec.numClasses(), guidance);
            }
            Seeds.seed(seed);
            Inpainter inp =
                    Inpainter.builder()
                            .setSampler(
                                    DdimSampler.builder()
                                            .setSchedule(spec.noiseSchedule())
                                            .optSteps(steps)
                                            .build())
                            .optResampling(resample)
                            .build();
            NDArray done = inp.inpaint(d, known, mk, labels, null);
            NDArray shown = x.mul(mk).sub(mk.sub(1f).abs().mul(0.5f).mul(0f));
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
                            .optModel("diffusion unet (RePaint)")
                            .optRun(run.getFileName().toString())
                            .optSeed(seed)
                            .opt("mask", mask)
                            .build());
            System.out.println("Wrote input, masked input and " + n + " completions to " + file);
        }
        return 0;
    }

    private static NDArray load(NDManager m, Path png, ModelSpec spec) {
        BufferedImage img = PngWriter.read(png);
        if (img.getWidth() != spec.width() || img.getHeight() != spec.height()) {
            throw new GenLabException(
                    png
                            + " is "
                            + img.getWidth()
                            + "×"
                            + img.getHeight()
                            + "; this model needs "
                            + spec.width()
                            + "×"
                            + spec.height()
                            + ".");
        }
        return ImageTensors.toTensor(m, List.of(img), spec.channels());
    }
}
