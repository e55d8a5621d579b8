package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.pipelines.clip.ClipEvaluation;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.ZeroShot;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * Measures a {@link Prior} on held-out captions, in CLIP's own space:
 *
 * <ul>
 *   <li><b>cosine</b>: mean ⟨ẑ_i, z_i⟩ between the embedding predicted from a test caption and the
 *       embedding of that caption's true image (the text embedding itself scores {@code
 *       textCosine}: the "modality gap" the prior has to cross);
 *   <li><b>zero-shot accuracy of the predicted embeddings</b>, the number that matters for unCLIP:
 *       classify each ẑ_i against the class prompt embeddings (argmax_k ẑ_i · c_k, as {@link
 *       ZeroShot} does for images) and count how often it gets the caption's digit. The true image
 *       embeddings score {@code imageZeroShot}, the ceiling the CLIP model allows;
 *   <li><b>diversity</b>: the mean pairwise cosine distance 1 − ⟨ẑ, ẑ'⟩ between several samples for
 *       the same caption. A regression prior gives 0; a diffusion prior more — the lecture's point:
 *       "a 7" stands for many sevens.
 * </ul>
 */
public final class PriorEvaluation {

    /** The most test items whose equal captions {@code imageDiversity} compares. */
    public static final int SAME_CAPTION_ITEMS = 2000;

    private static final long SEED = 2024;

    private PriorEvaluation() {}

    /**
     * What {@link #evaluate} measured.
     *
     * @param captions test captions used
     * @param cosine mean cosine between predicted and true image embeddings
     * @param textCosine mean cosine between the caption embedding itself and the true image
     *     embedding (no prior at all)
     * @param zeroShot zero-shot accuracy of the predicted embeddings
     * @param imageZeroShot zero-shot accuracy of the true image embeddings
     * @param diversity mean cosine distance between the samples for equal captions (NaN when no two
     *     test captions are equal)
     * @param imageDiversity mean cosine distance between the true image embeddings of equal
     *     captions
     */
    public record Result(
            int captions,
            double cosine,
            double textCosine,
            double zeroShot,
            double imageZeroShot,
            double diversity,
            double imageDiversity) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "on %d test captions: cosine to the true image embedding %.3f (caption"
                            + " embedding itself %.3f); zero-shot accuracy of the predicted"
                            + " embeddings %.2f %% (true image embeddings %.2f %%); diversity %.4f"
                            + " (cosine distance between samples for equal captions; between their"
                            + " true images %.4f)",
                    captions,
                    cosine,
                    textCosine,
                    100 * zeroShot,
                    100 * imageZeroShot,
                    diversity,
                    imageDiversity);
        }

        /**
         * The numbers as run settings: {@code eval.captions}, {@code eval.cosine}, {@code
         * eval.textCosine}, {@code eval.zeroShot}, {@code eval.imageZeroShot}, {@code
         * eval.diversity}, {@code eval.imageDiversity}.
         *
         * @return key to value
         */
        public Map<String, String> toConfig() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("eval.captions", Integer.toString(captions));
            c.put("eval.cosine", format(cosine));
            c.put("eval.textCosine", format(textCosine));
            c.put("eval.zeroShot", format(zeroShot));
            c.put("eval.imageZeroShot", format(imageZeroShot));
            c.put("eval.diversity", format(diversity));
            c.put("eval.imageDiversity", format(imageDiversity));
            return c;
        }

        private static String format(double v) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
    }

    /**
     * Measures a prior on the first n captions of a test split, with the CLIP model it was trained
     * on.
     *
     * @param prior the prior
     * @param clip the CLIP model
     * @param tokenizer its tokenizer
     * @param test the captioned test split
     * @param n how many captions
     * @param manager a manager on the model's device
     * @return the numbers
     */
    public static Result evaluate(
            Prior prior,
            Clip clip,
            Tokenizer tokenizer,
            CaptionedImages test,
            int n,
            NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            PriorData data = PriorData.of(clip, tokenizer, test, n, m);
            int classes = test.data().numClasses();
            NDArray c =
                    ZeroShot.classEmbeddings(
                            clip,
                            tokenizer,
                            ClipEvaluation.classPrompts(test.captioner(), classes),
                            clip.spec().maxLength());
            c.attach(m);
            return evaluate(prior, data, c);
        }
    }

    /**
     * Measures a prior on embedded pairs.
     *
     * @param prior the prior
     * @param test (z_i, z_t) pairs with their classes
     * @param classEmbeddings (K, D) unit vectors, one per class
     * @return the numbers
     */
    public static Result evaluate(Prior prior, PriorData test, NDArray classEmbeddings) {
        NDArray zi = test.imageEmbeddings();
        NDArray zt = test.textEmbeddings();
        try (NDManager m = zi.getManager().newSubManager();
                NoGrad scope = NoGrad.enter()) {
            // what is computed from z_i and z_t is freed with m
            m.tempAttachAll(zi, zt);
            NDArray predicted = sampleInChunks(prior, zt, m);
            int[] labels = test.labels();
            double zeroShot = ZeroShot.accuracy(nearest(predicted, classEmbeddings), labels);
            double imageZeroShot = ZeroShot.accuracy(nearest(zi, classEmbeddings), labels);
            return new Result(
                    test.size(),
                    meanCosine(predicted, zi),
                    meanCosine(zt, zi),
                    zeroShot,
                    imageZeroShot,
                    sameCaptionDistance(predicted, zt, m),
                    sameCaptionDistance(zi, zt, m));
        }
    }

    /**
     * The mean pairwise cosine distance 1 − ⟨ẑ, ẑ'⟩ between {@code samples} draws of the prior for
     * each caption, averaged over the captions.
     *
     * @param prior the prior
     * @param textEmbeddings (C, D) caption embeddings
     * @param samples draws per caption, at least 2
     * @param seed the seed
     * @return 0 when every caption always gives the same embedding
     */
    public static double diversity(Prior prior, NDArray textEmbeddings, int samples, long seed) {
        if (samples < 2) {
            throw new GenLabException("Diversity needs at least 2 samples per caption.");
        }
        long c = textEmbeddings.getShape().get(0);
        try (NDManager m = textEmbeddings.getManager().newSubManager();
                NoGrad scope = NoGrad.enter()) {
            // rows: [all C captions] × samples
            NDArray rows = textEmbeddings.tile(new long[] {samples, 1});
            rows.attach(m);
            NDArray z = prior.sample(rows, seed).reshape(samples, c, -1).transpose(1, 0, 2);
            // Gram matrices (C, s, s); the diagonal holds the s ones of ⟨ẑ, ẑ⟩
            NDArray gram = z.batchMatMul(z.transpose(0, 2, 1));
            double offDiagonal =
                    (gram.sum().getFloat() - c * samples) / (c * samples * (samples - 1.0));
            return Math.max(0, 1 - offDiagonal);
        }
    }

    /**
     * The mean cosine distance 1 − ⟨z_a, z_b⟩ over pairs of different test items a ≠ b (among the
     * first {@value #SAME_CAPTION_ITEMS}) whose captions are the same (equal z_t); z the true or
     * the predicted image embeddings.
     */
    private static double sameCaptionDistance(NDArray zi, NDArray zt, NDManager m) {
        long n = Math.min(SAME_CAPTION_ITEMS, zi.getShape().get(0));
        NDArray images = zi.get("0:" + n);
        NDArray texts = zt.get("0:" + n);
        m.tempAttachAll(images, texts);
        // pairs (a, b), a ≠ b, with ⟨z_t,a, z_t,b⟩ = 1
        NDArray same =
                texts.matMul(texts.transpose())
                        .gt(1 - 1e-5f)
                        .logicalAnd(m.eye((int) n).toType(DataType.BOOLEAN, false).logicalNot())
                        .toType(DataType.FLOAT32, false);
        float pairs = same.sum().getFloat();
        if (pairs == 0) {
            return Double.NaN;
        }
        return 1 - images.matMul(images.transpose()).mul(same).sum().getFloat() / pairs;
    }

    /**
     * The mean row-wise dot product of two sets of unit vectors.
     *
     * @param a (N, D)
     * @param b (N, D)
     * @return mean ⟨a_n, b_n⟩
     */
    public static double meanCosine(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {1}).mean().getFloat();
    }

    private static NDArray sampleInChunks(Prior prior, NDArray zt, NDManager m) {
        long n = zt.getShape().get(0);
        NDList parts = new NDList();
        for (long from = 0; from < n; from += PriorData.CHUNK) {
            NDArray chunk = zt.get(from + ":" + Math.min(n, from + PriorData.CHUNK));
            chunk.attach(m);
            parts.add(prior.sample(chunk, SEED + from));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    private static int[] nearest(NDArray queries, NDArray classes) {
        long[] best = queries.matMul(classes.transpose()).argMax(1).toLongArray();
        int[] out = new int[best.length];
        for (int i = 0; i < best.length; i++) {
            out[i] = (int) best[i];
        }
        return out;
    }
}
