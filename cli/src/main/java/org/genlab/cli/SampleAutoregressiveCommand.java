package org.genlab.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.image.AnimatedGif;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.eval.prompt.TokenPrompts;
import org.genlab.pipelines.tokens.ClipReranker;
import org.genlab.pipelines.tokens.Sampling;
import org.genlab.pipelines.tokens.TokenRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code genlab sample autoregressive}: draws images token by token from a trained run. */
@Command(
        name = "autoregressive",
        mixinStandardHelpOptions = true,
        description = {
            "Sample a trained image-token transformer (genlab train autoregressive): each image's"
                    + " 7x7 codes are drawn one at a time (temperature, top-k, classifier-free"
                    + " guidance) and the VQ autoencoder decodes them. With --candidates N and a"
                    + " CLIP run, each image is the best of N draws by CLIP score, DALL-E's"
                    + " re-ranking. Writes a PNG grid; --token-steps also draws one image being"
                    + " written token by token.",
            "Example: genlab sample autoregressive --run runs/ar-text --prompt \"a bold 7\""
                    + " --candidates 8 --clip runs/clip-mnist"
        })
public final class SampleAutoregressiveCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Option(names = "--run", required = true, description = "The run folder.")
    Path run;

    @Option(names = "--class", description = "Draw only this class (--conditional runs).")
    Integer clazz;

    @Option(
            names = "--prompt",
            description =
                    "What to draw, for a --text run, e.g. \"a bold 7\"; repeat it for one row per"
                            + " prompt (--n samples shared among them).")
    List<String> prompts;

    @Option(names = "--n", defaultValue = "64", description = "How many images (default 64).")
    int n;

    @Option(
            names = "--temperature",
            defaultValue = "1",
            description = "Temperature τ: below 1 sharper, above 1 more varied, 0 greedy.")
    float temperature;

    @Option(
            names = "--top-k",
            defaultValue = "0",
            description = "Draw each token from the k most likely codes only (0: all).")
    int topK;

    @Option(
            names = "--guidance",
            description =
                    "Classifier-free guidance weight w (1: none; default 3 for class and text"
                            + " runs, 1 for unconditional ones).")
    Float guidance;

    @Option(
            names = "--evaluate",
            description =
                    "Instead of a grid: measure prompt accuracy on N test prompts and the held-out"
                            + " compositions (text runs; with --candidates, after re-ranking).")
    Integer evaluate;

    @Option(
            names = "--candidates",
            defaultValue = "1",
            description =
                    "Draw N candidates per image and keep the one the --clip model scores highest"
                            + " against its prompt (DALL-E's re-ranking; text runs).")
    int candidates;

    @Option(
            names = "--clip",
            description =
                    "A CLIP run (genlab train clip) that scores the images against their prompts.")
    Path clip;

    @Option(names = "--out", description = "Output PNG (default RUN/samples/tokens.png).")
    Path out;

    @Option(
            names = "--token-steps",
            description =
                    "Also draw one image being written token by token: a PNG of all steps and a GIF"
                            + " beside it.")
    Path tokenSteps;

    @Override
    public Integer call() {
        validateAlone();
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(GlobalOptions.device())) {
            TokenRun r = TokenRun.open(run, m);
            validateFor(r);
            if (guidance == null) {
                guidance = r.classes() > 0 || r.isTextConditional() ? 3f : 1f;
            }
            Sampling s = new Sampling(temperature, topK, guidance, seed);
            ClipReranker reranker = clip != null ? ClipReranker.load(clip, m) : null;
            if (evaluate != null) {
                PromptEvaluation.run(
                        new TokenPrompts(r, s, reranker, candidates),
                        r.autoencoder().dataset(),
                        evaluate,
                        seed,
                        m,
                        out());
                return 0;
            }
            List<String> slots = slotPrompts();
            int columns = columns(r);
            long t0 = System.nanoTime();
            NDArray x;
            ClipReranker.Choice choice = null;
            if (candidates > 1) {
                choice = reranker.rerank(r, slots, candidates, s);
                x = choice.images();
            } else {
                x = r.sample(conditions(r, m, slots), n, s);
            }
            x.toFloatArray();
            double secs = (System.nanoTime() - t0) / 1e9;
            Path file = out != null ? out : r.dir().resolve("samples").resolve("tokens.png");
            write(r, x, columns, file, seed);
            out().printf(
                            Locale.ROOT,
                            "Wrote %d samples to %s: %d tokens each, %.1f ms per image%s (%.2f s).%n",
                            n,
                            file,
                            r.transformer().length(),
                            1000 * secs / n,
                            candidates > 1
                                    ? String.format(
                                            Locale.ROOT,
                                            " for the best of %d, %.1f ms per draw",
                                            candidates,
                                            1000 * secs / (n * (double) candidates))
                                    : "",
                            secs);
            if (choice != null) {
                out().printf(
                                Locale.ROOT,
                                "CLIP score: %.4f mean over all %d candidates, %.4f for the chosen ones.%n",
                                choice.meanCandidates(),
                                n * candidates,
                                choice.meanChosen());
            } else if (reranker != null) {
                float[] sc = reranker.scores(x, slots).toFloatArray();
                double mean = 0;
                for (float f : sc) {
                    mean += f / sc.length;
                }
                out().printf(Locale.ROOT, "CLIP score: %.4f mean.%n", mean);
            }
            if (tokenSteps != null) {
                writeSteps(r, m, s, seed);
            }
        }
        return 0;
    }

    private java.io.PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** One prompt per image (each prompt repeated for its row), or null without prompts. */
    private List<String> slotPrompts() {
        if (prompts == null) {
            return null;
        }
        int per = Math.max(1, n / prompts.size());
        n = per * prompts.size();
        List<String> slots = new ArrayList<>();
        for (String p : prompts) {
            for (int i = 0; i < per; i++) {
                slots.add(p);
            }
        }
        return slots;
    }

    private int columns(TokenRun r) {
        if (prompts != null && prompts.size() > 1) {
            return n / prompts.size();
        }
        if (r.classes() > 0 && clazz == null) {
            return r.classes();
        }
        return (int) Math.ceil(Math.sqrt(n));
    }

    /** Class labels (B), caption rows (B, L), or null for an unconditional run. */
    private NDArray conditions(TokenRun r, NDManager m, List<String> slots) {
        if (r.isTextConditional()) {
            return r.captions(slots);
        }
        if (r.classes() == 0) {
            return null;
        }
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = clazz != null ? clazz : i % r.classes();
        }
        return m.create(labels);
    }

    private void write(TokenRun r, NDArray x, int columns, Path file, long seed) {
        SampleGrid.Builder grid = SampleGrid.builder().setImages(x).optColumns(columns).optScale(2);
        if (prompts != null && prompts.size() > 1) {
            grid.optRowLabels(prompts);
        }
        PngWriter.write(grid.build().render(), file, provenance(r, seed));
    }

    private Provenance provenance(TokenRun r, long seed) {
        return Provenance.builder()
                .optModel("image-token transformer, step " + r.step())
                .optRun(run.getFileName().toString())
                .optSeed(seed)
                .opt("prompt", prompts == null ? "" : String.join(" | ", prompts))
                .opt(
                        "sampler",
                        String.format(
                                Locale.ROOT,
                                "tokens: temperature %s, top-k %d, cfg w=%s%s",
                                temperature,
                                topK,
                                guidance,
                                candidates > 1
                                        ? ", best of " + candidates + " by CLIP " + clip
                                        : ""))
                .build();
    }

    /** One image written token by token: all N + 1 frames as a grid PNG and as a GIF. */
    private void writeSteps(TokenRun r, NDManager m, Sampling s, long seed) {
        NDArray condition = null;
        if (r.isTextConditional()) {
            condition = r.captions(List.of(prompts.get(0)));
        } else if (r.classes() > 0) {
            condition = m.create(new long[] {clazz != null ? clazz : 0});
        }
        NDArray frames = r.writing(condition, s);
        Provenance prov = provenance(r, seed);
        PngWriter.write(
                SampleGrid.builder().setImages(frames).optColumns(10).optScale(2).build().render(),
                tokenSteps,
                prov);
        List<BufferedImage> pictures = new ArrayList<>();
        for (int k = 0; k < frames.getShape().get(0); k++) {
            pictures.add(
                    SampleGrid.builder()
                            .setImages(frames.get(k).expandDims(0))
                            .optColumns(1)
                            .optScale(6)
                            .build()
                            .render());
        }
        Path gif =
                tokenSteps.resolveSibling(
                        tokenSteps.getFileName().toString().replaceFirst("\\.png$", "") + ".gif");
        AnimatedGif.write(gif, pictures, 80, 1500, prov);
        out().printf(
                        Locale.ROOT,
                        "Wrote one image written token by token (%d frames) to %s and %s.%n",
                        frames.getShape().get(0),
                        tokenSteps,
                        gif);
    }

    /** Checks that need no run. */
    private void validateAlone() {
        if (candidates > 1 && clip == null) {
            throw new GenLabException(
                    "--candidates "
                            + candidates
                            + " re-ranks with CLIP: add --clip RUN (genlab train clip).");
        }
        // per sequence: the key/value cache of a 4-layer, 128-wide model over 64 positions, twice
        // under guidance, and the attention's intermediates
        Checks.fitsInMemory("--n", (long) n * candidates, 64L * 128 * 4 * 2 * 4 * 2, 4);
    }

    /** Checks against the run: what it is conditioned on. */
    private void validateFor(TokenRun r) {
        if (prompts != null && !r.isTextConditional()) {
            throw new GenLabException(
                    "--prompt needs a text run (genlab train autoregressive --text); this one "
                            + (r.classes() > 0 ? "takes --class." : "is unconditional."));
        }
        if (evaluate != null && !r.isTextConditional()) {
            throw new GenLabException(
                    "--evaluate measures prompt accuracy: it needs a text run (genlab train"
                            + " autoregressive --text).");
        }
        if (r.isTextConditional() && evaluate == null && (prompts == null || prompts.isEmpty())) {
            throw new GenLabException(
                    "This run draws from captions: give --prompt \"a bold 7\" (repeat it for"
                            + " several).");
        }
        if (clazz != null && (r.classes() == 0 || clazz >= r.classes())) {
            throw new GenLabException(
                    r.classes() == 0
                            ? "--class needs a run trained with --conditional."
                            : "--class must be in 0.." + (r.classes() - 1) + ".");
        }
        if (clip != null && !r.isTextConditional()) {
            throw new GenLabException(
                    "--clip scores images against their prompts: it needs a --text run.");
        }
        if (prompts != null) {
            r.captions(prompts); // an unknown word stops here, before any sampling
        }
    }
}
