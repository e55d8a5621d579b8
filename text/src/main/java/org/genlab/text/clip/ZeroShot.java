package org.genlab.text.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * Zero-shot classification (Radford et al. 2021, §3.1.2): no classifier is trained; each class is
 * described in words, and an image gets the class whose description embeds closest to it.
 *
 * <pre>
 *   c_k = normalize( mean_p T(prompt_{k,p}) )      prompt ensembling over templates p (§3.1.4)
 *   ŷ(x) = argmax_k  I(x) · c_k
 * </pre>
 *
 * <pre>{@code
 * NDArray classes = ZeroShot.classEmbeddings(clip, tok,
 *         List.of(List.of("a 0", "the digit zero"), List.of("a 1", "the digit one"), ...), 8);
 * int[] predicted = ZeroShot.classify(clip, images, classes);
 * }</pre>
 */
public final class ZeroShot {

    /** The most images embedded at once. */
    private static final int CHUNK = 500;

    private ZeroShot() {}

    /**
     * Embeds each class's prompts and averages them (prompt ensembling), renormalised.
     *
     * @param clip the model
     * @param tokenizer its tokenizer
     * @param promptsPerClass K lists of prompts, one list per class
     * @param maxLength L, the model's caption length
     * @return (K, E) unit vectors, in the clip's weights' manager
     */
    public static NDArray classEmbeddings(
            Clip clip, Tokenizer tokenizer, List<List<String>> promptsPerClass, int maxLength) {
        NDManager owner = clip.getParameters().valueAt(0).getArray().getManager();
        NDList rows = new NDList();
        try (NDManager sub = owner.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            ParameterStore ps = new ParameterStore(sub, false);
            for (List<String> prompts : promptsPerClass) {
                if (prompts.isEmpty()) {
                    throw new GenLabException(
                            "Every class needs at least one prompt, e.g. \"a photo of a cat\".");
                }
                NDArray t = clip.encodeTexts(ps, tokenizer.encode(sub, prompts, maxLength));
                NDArray mean = t.mean(new int[] {0});
                rows.add(mean.div(mean.norm()));
            }
            NDArray out = NDArrays.stack(rows);
            out.attach(owner);
            return out;
        }
    }

    /**
     * Classifies images by their most similar class embedding.
     *
     * @param clip the model
     * @param images (N, C, H, W) in [-1, 1]
     * @param classEmbeddings (K, E) unit vectors ({@link #classEmbeddings})
     * @return N class indices in [0, K)
     */
    public static int[] classify(Clip clip, NDArray images, NDArray classEmbeddings) {
        long n = images.getShape().get(0);
        NDList parts = new NDList();
        try (NDManager sub = images.getManager().newSubManager();
                NoGrad scope = NoGrad.enter()) {
            ParameterStore ps = new ParameterStore(sub, false);
            NDArray c = classEmbeddings.toDevice(images.getDevice(), false);
            for (long s = 0; s < n; s += CHUNK) {
                NDArray x = images.get(new NDIndex("{}:{}", s, Math.min(n, s + CHUNK)));
                // ŷ = argmax_k I(x) · c_k
                parts.add(clip.encodeImages(ps, x).matMul(c.transpose()).argMax(1));
            }
            long[] best = NDArrays.concat(parts).toType(DataType.INT64, false).toLongArray();
            int[] out = new int[best.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) best[i];
            }
            return out;
        }
    }

    /**
     * The share of predictions that match the labels.
     *
     * @param predicted predicted classes
     * @param labels true classes
     * @return accuracy in [0, 1]
     */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length || labels.length == 0) {
            throw new GenLabException(
                    "accuracy needs as many predictions as labels (and at least one), got "
                            + predicted.length
                            + " and "
                            + labels.length
                            + ".");
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return right / (double) labels.length;
    }
}
