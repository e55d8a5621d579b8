package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.train.RunFolder;
import org.genlab.eval.prompt.UnclipPrompts;
import org.genlab.pipelines.unclip.UnClip;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab sample unclip}: text to image through unCLIP's prior and decoder. */
@Command(
        name = "unclip",
        mixinStandardHelpOptions = true,
        description = {
            "Draw images from prompts with unCLIP (DALL-E 2, Ramesh et al. 2022): CLIP's text"
                    + " encoder embeds each prompt, the prior (genlab train prior) draws a CLIP"
                    + " image embedding, the decoder (genlab train diffusion --clip-image) draws"
                    + " the image. One row per prompt. With --evaluate N it instead measures"
                    + " prompt accuracy on N test prompts and the held-out compositions.",
            "Example: genlab sample unclip --prior runs/prior --decoder runs/decoder --prompt"
                    + " \"a bold 7\" --prompt \"a thin 2 leaning left\""
        })
public final class SampleUnclipCommand implements Callable<Integer> {

    @Option(names = "--prior", required = true, description = "The prior's run folder.")
    Path prior;

    @Option(names = "--decoder", required = true, description = "The decoder's run folder.")
    Path decoder;

    @Option(
            names = "--prompt",
            description = "A prompt, e.g. \"a bold 7 leaning right\"; repeat it for more rows.")
    List<String> prompts;

    @Option(names = "--n", defaultValue = "8", description = "Images per prompt (default 8).")
    int n;

    @Option(
            names = "--guidance",
            defaultValue = "3",
            description = "The decoder's classifier-free guidance weight w (default 3).")
    float guidance;

    @Option(names = "--steps", defaultValue = "50", description = "Decoder steps (default 50).")
    int steps;

    @Option(names = "--evaluate", description = "Measure prompt accuracy on N test prompts.")
    Integer evaluate;

    @Option(names = "--out", description = "The PNG (default DECODER/samples/unclip.png).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (evaluate == null && (prompts == null || prompts.isEmpty())) {
            throw new GenLabException(
                    "Give --prompt \"a bold 7\" (repeat it for more rows) or --evaluate N.");
        }
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device());
                UnClip unclip = UnClip.open(prior, decoder, guidance, steps, m)) {
            if (evaluate != null) {
                String dataset = RunFolder.open(decoder).config().getOrDefault("dataset", "mnist");
                PromptEvaluation.run(
                        new UnclipPrompts(unclip, seed), dataset, evaluate, seed, m, w);
                return 0;
            }
            List<String> each = new ArrayList<>();
            for (String p : prompts) {
                for (int i = 0; i < n; i++) {
                    each.add(p);
                }
            }
            long t0 = System.nanoTime();
            NDArray x = unclip.sample(each, seed, m);
            x.toFloatArray();
            double secs = (System.nanoTime() - t0) / 1e9;
            Path file = out != null ? out : decoder.resolve("samples").resolve("unclip.png");
            SampleGrid.Builder grid = SampleGrid.builder().setImages(x).optColumns(n).optScale(2);
            if (prompts.size() > 1) {
                grid.optRowLabels(prompts);
            }
            PngWriter.write(
                    grid.build().render(),
                    file,
                    Provenance.builder()
                            .optModel(
                                    "unclip: "
                                            + unclip.prior().kind()
                                            + " prior + diffusion decoder")
                            .optRun(decoder.getFileName().toString())
                            .optSeed(seed)
                            .opt("prompt", String.join(" | ", prompts))
                            .opt("guidance", "cfg w=" + guidance)
                            .build());
            w.printf(
                    Locale.ROOT,
                    "Wrote %d images to %s (%s prior, decoder w = %.1f, %d steps): %.2f s (%.2f"
                            + " images/s).%n",
                    each.size(),
                    file,
                    unclip.prior().kind(),
                    guidance,
                    steps,
                    secs,
                    each.size() / secs);
        }
        return 0;
    }
}
