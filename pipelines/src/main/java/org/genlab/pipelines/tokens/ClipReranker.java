package org.genlab.pipelines.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.text.clip.Clip;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * DALL-E's re-ranking (Ramesh et al. 2021, §2.6 "Sample Generation"): draw N candidates for a
 * prompt, embed them and the prompt with a trained CLIP model (Radford et al. 2021), and keep the
 * candidate whose image embedding is closest to the prompt's:
 *
 * <pre>
 *   s_j = I(x_j) · T(prompt)          cosine similarity (CLIP's embeddings are unit vectors)
 *   x*  = x_{argmax_j s_j}
 * </pre>
 *
 * The prompt is read with CLIP's own vocabulary, so any generator's images can be re-ranked.
 */
public final class ClipReranker {

    private static final int CHUNK = 256;

    private final Clip clip;
    private final Tokenizer tokenizer;
    private final ParameterStore ps;

    /**
     * Re-ranks with a CLIP model.
     *
     * @param clip the trained model
     * @param tokenizer its vocabulary
     * @param manager where the work happens
     */
    public ClipReranker(Clip clip, Tokenizer tokenizer, NDManager manager) {
        this.clip = clip;
        this.tokenizer = tokenizer;
        this.ps = new ParameterStore(manager, false);
    }

    /**
     * Loads the CLIP run written by {@code genlab train clip}.
     *
     * @param clipRun the run folder
     * @param manager where the weights go
     * @return the re-ranker
     */
    public static ClipReranker load(Path clipRun, NDManager manager) {
        Clip.Loaded loaded = Clip.load(clipRun, manager);
        return new ClipReranker(loaded.clip(), loaded.tokenizer(), manager);
    }

    /**
     * The chosen candidates.
     *
     * @param images (M, C, H, W) the best candidate of each prompt
     * @param scores (M) their CLIP scores s
     * @param candidateScores (M, N) the scores of all candidates
     */
    public record Choice(NDArray images, float[] scores, float[][] candidateScores) {

        /**
         * Returns the mean score of the chosen images.
         *
         * @return mean_m s*_m
         */
        public double meanChosen() {
            double sum = 0;
            for (float s : scores) {
                sum += s;
            }
            return sum / scores.length;
        }

        /**
         * Returns the mean score of all candidates: what a single draw scores on average.
         *
         * @return mean_{m,j} s_{m,j}
         */
        public double meanCandidates() {
            double sum = 0;
            int count = 0;
            for (float[] row : candidateScores) {
                for (float s : row) {
                    sum += s;
                    count++;
                }
            }
            return sum / count;
        }
    }

    /**
     * Scores images against prompts, one prompt per image.
     *
     * @param images (B, C, H, W) in [−1, 1]
     * @param prompts B prompts (unknown words are refused)
     * @return (B) cosine similarities s
     */
    public NDArray scores(NDArray images, List<String> prompts) {
        long b = images.getShape().get(0);
        if (prompts.size() != b) {
            throw new GenLabException(
                    "ClipReranker.scores: " + b + " images but " + prompts.size() + " prompts.");
        }
        try (NoGrad scope = NoGrad.enter()) {
            NDArray ids = tokenizer.encode(images.getManager(), prompts, clip.spec().maxLength());
            NDArray t = clip.encodeTexts(ps, ids);
            // s = I · T
            return embedImages(images).mul(t).sum(new int[] {1});
        }
    }

    /**
     * Keeps, for each prompt, the candidate CLIP scores highest.
     *
     * @param prompts M prompts
     * @param candidates (M, N, C, H, W) N candidates per prompt, in [−1, 1]
     * @return the chosen images and the scores
     */
    public Choice choose(List<String> prompts, NDArray candidates) {
        Shape s = candidates.getShape();
        if (s.dimension() != 5 || s.get(0) != prompts.size()) {
            throw new GenLabException(
                    "ClipReranker.choose takes (M, N, C, H, W) candidates for M = "
                            + prompts.size()
                            + " prompts, got "
                            + s
                            + ".");
        }
        int m = (int) s.get(0);
        int n = (int) s.get(1);
        List<String> each = new ArrayList<>();
        for (String p : prompts) {
            each.addAll(Collections.nCopies(n, p));
        }
        float[] flat =
                scores(candidates.reshape(new Shape(m * (long) n).addAll(s.slice(2))), each)
                        .toFloatArray();
        float[][] all = new float[m][n];
        float[] best = new float[m];
        NDList chosen = new NDList();
        for (int i = 0; i < m; i++) {
            int arg = 0;
            for (int j = 0; j < n; j++) {
                all[i][j] = flat[i * n + j];
                if (all[i][j] > all[i][arg]) {
                    arg = j;
                }
            }
            best[i] = all[i][arg];
            chosen.add(candidates.get(new NDIndex("{}, {}", i, arg)));
        }
        return new Choice(NDArrays.stack(chosen), best, all);
    }

    /**
     * Draws N candidates per prompt from a text token run and keeps the best of each.
     *
     * @param run a text-conditional token run
     * @param prompts M prompts (repeat one for several images of it)
     * @param candidates N
     * @param s the sampling settings
     * @return the chosen images and the scores
     */
    public Choice rerank(TokenRun run, List<String> prompts, int candidates, Sampling s) {
        List<String> each = new ArrayList<>();
        for (String p : prompts) {
            each.addAll(Collections.nCopies(candidates, p));
        }
        NDArray x = run.sample(run.captions(each), 0, s);
        return choose(
                prompts,
                x.reshape(new Shape(prompts.size(), candidates).addAll(x.getShape().slice(1))));
    }

    private NDArray embedImages(NDArray images) {
        long b = images.getShape().get(0);
        NDList parts = new NDList();
        for (long from = 0; from < b; from += CHUNK) {
            parts.add(
                    clip.encodeImages(
                            ps, images.get(new NDIndex("{}:{}", from, Math.min(b, from + CHUNK)))));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts);
    }
}
