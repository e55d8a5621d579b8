package org.genlab.pipelines.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.genlab.core.nn.NoGrad;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.caption.Captioner;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.EmbeddingMap;
import org.genlab.text.clip.Retrieval;
import org.genlab.text.clip.ZeroShot;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * Measures a CLIP model on a captioned test split:
 *
 * <ul>
 *   <li><b>zero-shot accuracy</b>: each image gets the class whose prompts ("a 7", "the digit
 *       seven", …, averaged) embed closest to it — no classifier was ever trained;
 *   <li><b>recall@K</b>, text→image: for each test caption, is its image among the K images nearest
 *       to it? (An image whose caption is word for word the same counts too: "a 7" fits every plain
 *       seven.) Image→text likewise.
 * </ul>
 */
public final class ClipEvaluation {

    private static final int CHUNK = 500;

    private ClipEvaluation() {}

    /**
     * What {@link #evaluate} measured.
     *
     * @param images test images used
     * @param zeroShot zero-shot accuracy
     * @param k K
     * @param textToImage text→image recall@K (an image that fits the caption among the K)
     * @param textToImagePrecision the share of the K images that fit their caption
     * @param imageToText image→text recall@K (a caption that fits the image among the K)
     */
    public record Result(
            int images,
            double zeroShot,
            int k,
            double textToImage,
            double textToImagePrecision,
            double imageToText) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "zero-shot accuracy %.2f %% on %d test images; text→image recall@%d %.2f %%"
                            + " (precision@%d %.2f %%), image→text recall@%d %.2f %%",
                    100 * zeroShot,
                    images,
                    k,
                    100 * textToImage,
                    k,
                    100 * textToImagePrecision,
                    k,
                    100 * imageToText);
        }
    }

    /**
     * Tells whether an image fits a caption: the caption's class, and every attribute the caption
     * names in the named bin.
     *
     * @param split the captioned split
     * @param caption the index of the caption's image
     * @param image the index of the image
     * @return true when the caption describes the image
     */
    public static boolean fits(CaptionedImages split, int caption, int image) {
        if (split.label(caption) != split.label(image)) {
            return false;
        }
        int[] named = split.mentioned(caption);
        int[] bins = split.bins(image);
        for (int a = 0; a < named.length; a++) {
            if (named[a] >= 0 && named[a] != bins[a]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The prompts of each class for zero-shot classification: the captioner's templates with the
     * class word alone (no attributes), several phrasings per class.
     *
     * @param captioner the data set's captioner
     * @param classes K
     * @return K lists of prompts
     */
    public static List<List<String>> classPrompts(Captioner captioner, int classes) {
        List<List<String>> out = new ArrayList<>();
        int attributes = captioner.attributes().size();
        int[] none = new int[attributes];
        Arrays.fill(none, -1);
        for (int c = 0; c < classes; c++) {
            Set<String> p = new LinkedHashSet<>();
            p.add(captioner.prompt(c, none));
            for (long v = 0; v < 64 && p.size() < 8; v++) {
                p.add(captioner.render(c, none, v));
            }
            out.add(new ArrayList<>(p));
        }
        return out;
    }

    /**
     * Measures zero-shot accuracy and recall@K on the first n images of a split.
     *
     * @param clip the model
     * @param tokenizer its tokenizer
     * @param maxLength L
     * @param test the captioned test split
     * @param n how many images (at most the split's size)
     * @param k K for recall
     * @param manager a manager on the model's device
     * @return the result
     */
    public static Result evaluate(
            Clip clip,
            Tokenizer tokenizer,
            int maxLength,
            CaptionedImages test,
            int n,
            int k,
            NDManager manager) {
        n = Math.min(n, test.size());
        int classes = test.data().numClasses();
        try (NDManager m = manager.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            Embeddings e = embed(clip, tokenizer, maxLength, test, n, m);
            NDArray classEmb =
                    ZeroShot.classEmbeddings(
                            clip, tokenizer, classPrompts(test.captioner(), classes), maxLength);
            classEmb.attach(m);
            // image · class prompt, the nearest wins
            int[] predicted = nearest(e.images, classEmb);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = test.label(i);
            }
            double acc = ZeroShot.accuracy(predicted, labels);
            // text → image: the K images nearest to each caption
            int[][] top = topK(e.texts, e.images, k);
            int found = 0;
            int fitting = 0;
            for (int q = 0; q < n; q++) {
                int here = 0;
                for (int j : top[q]) {
                    here += fits(test, q, j) ? 1 : 0;
                }
                found += here > 0 ? 1 : 0;
                fitting += here;
            }
            // image → text: the K distinct captions nearest to each image
            int[] firstOf = distinctCaptions(e.groups);
            NDArray captionEmb = e.texts.get(m.create(toLong(firstOf)));
            int[][] back = topK(e.images, captionEmb, Math.min(k, firstOf.length));
            int i2t = 0;
            for (int q = 0; q < n; q++) {
                for (int j : back[q]) {
                    if (fits(test, firstOf[j], q)) {
                        i2t++;
                        break;
                    }
                }
            }
            return new Result(
                    n, acc, k, (double) found / n, (double) fitting / (n * k), (double) i2t / n);
        }
    }

    /**
     * Draws the shared embedding: the first n test images (dots by class) and each class's plain
     * prompt, in the plane of the first two principal components (PCA).
     *
     * @param clip the model
     * @param tokenizer its tokenizer
     * @param maxLength L
     * @param test the split
     * @param n images to place
     * @param extraPrompts more captions to place (may be empty)
     * @param png the file
     * @param manager a manager on the model's device
     */
    public static void drawMap(
            Clip clip,
            Tokenizer tokenizer,
            int maxLength,
            CaptionedImages test,
            int n,
            List<String> extraPrompts,
            Path png,
            NDManager manager) {
        n = Math.min(n, test.size());
        try (NDManager m = manager.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            Embeddings e = embed(clip, tokenizer, maxLength, test, n, m);
            List<String> captions = new ArrayList<>();
            int[] none = new int[test.captioner().attributes().size()];
            Arrays.fill(none, -1);
            for (int c = 0; c < test.data().numClasses(); c++) {
                captions.add(test.captioner().prompt(c, none));
            }
            captions.addAll(extraPrompts);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray texts = clip.encodeTexts(ps, tokenizer.encode(m, captions, maxLength));
            int[] classes = new int[n];
            for (int i = 0; i < n; i++) {
                classes[i] = test.label(i);
            }
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            EmbeddingMap.draw(e.images, classes, test.data().samples(m, idx), texts, captions, png);
        }
    }

    private record Embeddings(NDArray images, NDArray texts, int[] groups) {}

    private static Embeddings embed(
            Clip clip,
            Tokenizer tokenizer,
            int maxLength,
            CaptionedImages test,
            int n,
            NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        NDList imgs = new NDList();
        NDList txts = new NDList();
        int[] groups = new int[n];
        Map<String, Integer> ids = new HashMap<>();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int[] idx = new int[to - from];
            List<String> caps = new ArrayList<>();
            for (int i = from; i < to; i++) {
                idx[i - from] = i;
                String c = test.caption(i);
                caps.add(c);
                groups[i] = ids.computeIfAbsent(c, x -> ids.size());
            }
            imgs.add(clip.encodeImages(ps, test.data().samples(m, idx)));
            txts.add(clip.encodeTexts(ps, tokenizer.encode(m, caps, maxLength)));
        }
        return new Embeddings(
                imgs.size() == 1 ? imgs.get(0) : concat(imgs),
                txts.size() == 1 ? txts.get(0) : concat(txts),
                groups);
    }

    private static NDArray concat(NDList parts) {
        return ai.djl.ndarray.NDArrays.concat(parts, 0);
    }

    private static int[][] topK(NDArray queries, NDArray keys, int k) {
        long n = queries.getShape().get(0);
        int[][] out = new int[(int) n][];
        for (int from = 0; from < n; from += CHUNK) {
            int to = (int) Math.min(n, from + CHUNK);
            int[][] part = Retrieval.topKRows(queries.get(from + ":" + to), keys, k);
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    private static int[] distinctCaptions(int[] groups) {
        Map<Integer, Integer> first = new java.util.LinkedHashMap<>();
        for (int i = 0; i < groups.length; i++) {
            first.putIfAbsent(groups[i], i);
        }
        int[] out = new int[first.size()];
        int i = 0;
        for (int v : first.values()) {
            out[i++] = v;
        }
        return out;
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static int[] nearest(NDArray queries, NDArray keys) {
        long[] best = queries.matMul(keys.transpose()).argMax(1).toLongArray();
        int[] out = new int[best.length];
        for (int i = 0; i < best.length; i++) {
            out[i] = (int) best[i];
        }
        return out;
    }
}
