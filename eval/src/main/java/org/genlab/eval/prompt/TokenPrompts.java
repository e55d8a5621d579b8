package org.genlab.eval.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import org.genlab.pipelines.tokens.ClipReranker;
import org.genlab.pipelines.tokens.Sampling;
import org.genlab.pipelines.tokens.TokenRun;

/**
 * A text-conditional token transformer as a {@link PromptDrawer} (DALL-E, Ramesh et al. 2021): each
 * prompt's image tokens are written one by one after the caption, then decoded by the VQ
 * autoencoder. With a {@link ClipReranker}, N candidates are drawn per prompt and the one whose
 * CLIP embedding is closest to the prompt's is kept (DALL-E §2.6, "Sample Generation").
 */
public final class TokenPrompts implements PromptDrawer {

    private final TokenRun run;
    private final Sampling sampling;
    private final ClipReranker reranker;
    private final int candidates;
    private long calls;

    /**
     * Wraps a text token run.
     *
     * @param run the run (trained with {@code --text})
     * @param sampling temperature, top-k, guidance and the first seed (each call adds one)
     * @param reranker CLIP re-ranking, or null to keep the first draw
     * @param candidates N, the candidates per prompt when re-ranking
     */
    public TokenPrompts(TokenRun run, Sampling sampling, ClipReranker reranker, int candidates) {
        this.run = run;
        this.sampling = sampling;
        this.reranker = reranker;
        this.candidates = reranker == null ? 1 : candidates;
    }

    @Override
    public String label() {
        String s =
                String.format(
                        Locale.ROOT,
                        "tokens τ = %.1f%s, w = %.1f",
                        sampling.temperature(),
                        sampling.topK() > 0 ? ", top-" + sampling.topK() : "",
                        sampling.guidance());
        return reranker == null ? s : s + ", best of " + candidates + " by CLIP";
    }

    @Override
    public float guidance() {
        return sampling.guidance();
    }

    @Override
    public NDArray draw(List<String> prompts, NDManager manager) {
        // a new seed per call, or every chunk of prompts would repeat the same draws
        Sampling s =
                new Sampling(
                        sampling.temperature(),
                        sampling.topK(),
                        sampling.guidance(),
                        sampling.seed() + calls++);
        // at most 128 sequences at a time, each batch in its own manager: the caption ids are
        // made there, so the tokens, the decoder's and CLIP's activations are freed with it
        int step = Math.max(1, 128 / candidates);
        NDList parts = new NDList();
        for (int from = 0; from < prompts.size(); from += step) {
            List<String> some = prompts.subList(from, Math.min(prompts.size(), from + step));
            try (NDManager sub = manager.newSubManager()) {
                Sampling part =
                        new Sampling(
                                s.temperature(), s.topK(), s.guidance(), s.seed() * 997 + from);
                NDArray x = drawSome(some, part, sub);
                x.attach(manager);
                parts.add(x);
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    private NDArray drawSome(List<String> prompts, Sampling s, NDManager manager) {
        NDArray ids = run.tokenizer().encode(manager, prompts, run.transformer().prefixLength());
        if (reranker == null) {
            return run.sample(ids, 0, s);
        }
        NDArray x = run.sample(ids.repeat(0, candidates), 0, s);
        Shape each = new Shape(prompts.size(), candidates).addAll(x.getShape().slice(1));
        return reranker.choose(prompts, x.reshape(each)).images();
    }
}
