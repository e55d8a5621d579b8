package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.NoGrad;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.text.clip.Clip;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * The training pairs of a prior: for each captioned image, its CLIP image embedding z_i and the
 * CLIP text embedding z_t of its caption, both computed once by a frozen CLIP model (Ramesh et al.
 * 2022 train the prior on (z_t, z_i) pairs from the same CLIP that the decoder reads).
 *
 * <pre>{@code
 * Clip.Loaded clip = Clip.load(Path.of("runs/clip-mnist"), manager);
 * CaptionedImages train = CaptionedImages.of(ImageDataset.builder().setName("mnist").build());
 * PriorData data = PriorData.of(clip.clip(), clip.tokenizer(), train, train.size(), manager);
 * BatchSource batches = BatchSource.shuffled(data.pairs(), 256, seed);
 * }</pre>
 */
public final class PriorData {

    /** The most images or captions embedded at once. */
    static final int CHUNK = 500;

    private final NDArray imageEmbeddings;
    private final NDArray textEmbeddings;
    private final int[] labels;

    private PriorData(NDArray imageEmbeddings, NDArray textEmbeddings, int[] labels) {
        this.imageEmbeddings = imageEmbeddings;
        this.textEmbeddings = textEmbeddings;
        this.labels = labels;
    }

    /**
     * Pairs from embeddings computed elsewhere (or made up, for a toy problem).
     *
     * @param imageEmbeddings z_i (N, D) unit vectors
     * @param textEmbeddings z_t (N, D) unit vectors
     * @param labels N classes (for the zero-shot accuracy)
     * @return the pairs, sharing the arrays
     */
    public static PriorData of(NDArray imageEmbeddings, NDArray textEmbeddings, int[] labels) {
        if (!imageEmbeddings.getShape().equals(textEmbeddings.getShape())
                || imageEmbeddings.getShape().dimension() != 2
                || imageEmbeddings.getShape().get(0) != labels.length) {
            throw new GenLabException(
                    "PriorData needs z_i and z_t of the same (N, D) shape and N labels, got "
                            + imageEmbeddings.getShape()
                            + ", "
                            + textEmbeddings.getShape()
                            + " and "
                            + labels.length
                            + ".");
        }
        return new PriorData(imageEmbeddings, textEmbeddings, labels.clone());
    }

    /**
     * Embeds the first n images of a captioned split and their captions (each distinct caption
     * once).
     *
     * @param clip the frozen CLIP model
     * @param tokenizer its tokenizer
     * @param captions the captioned split
     * @param n how many (at most the split's size)
     * @param manager where the embeddings live
     * @return the pairs
     */
    public static PriorData of(
            Clip clip, Tokenizer tokenizer, CaptionedImages captions, int n, NDManager manager) {
        n = Math.min(n, captions.size());
        if (n < 1) {
            throw new GenLabException("PriorData needs at least one captioned image.");
        }
        Map<String, Integer> distinct = new LinkedHashMap<>();
        long[] row = new long[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            row[i] = distinct.computeIfAbsent(captions.caption(i), k -> distinct.size());
            labels[i] = captions.label(i);
        }
        NDArray zi = embedImages(clip, captions, n, manager);
        try (NDManager sub = manager.newSubManager()) {
            NDArray unique = embedTexts(clip, tokenizer, new ArrayList<>(distinct.keySet()), sub);
            NDArray zt = unique.get(sub.create(row));
            zt.attach(manager);
            return new PriorData(zi, zt, labels);
        }
    }

    /**
     * Embeds the first n images, CHUNK at a time.
     *
     * @return z_i (n, D) in {@code manager}
     */
    static NDArray embedImages(Clip clip, CaptionedImages captions, int n, NDManager manager) {
        NDList parts = new NDList();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int[] idx = new int[to - from];
            for (int i = from; i < to; i++) {
                idx[i - from] = i;
            }
            try (NDManager sub = manager.newSubManager();
                    NoGrad scope = NoGrad.enter()) {
                NDArray z =
                        clip.encodeImages(
                                new ParameterStore(sub, false), captions.data().samples(sub, idx));
                z.attach(manager);
                parts.add(z);
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /**
     * Embeds captions or prompts with CLIP's text tower, a chunk at a time: the z_t a {@link Prior}
     * reads.
     *
     * @param clip the CLIP model
     * @param tokenizer its tokenizer (an unknown word is refused)
     * @param texts the captions
     * @param manager where the result lives
     * @return z_t (captions, D) unit vectors
     */
    public static NDArray embedTexts(
            Clip clip, Tokenizer tokenizer, List<String> texts, NDManager manager) {
        NDList parts = new NDList();
        int length = clip.spec().maxLength();
        for (int from = 0; from < texts.size(); from += CHUNK) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK));
            try (NDManager sub = manager.newSubManager();
                    NoGrad scope = NoGrad.enter()) {
                NDArray z =
                        clip.encodeTexts(
                                new ParameterStore(sub, false),
                                tokenizer.encode(sub, chunk, length));
                z.attach(manager);
                parts.add(z);
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /**
     * The pairs as a sample set for {@code BatchSource.shuffled}: samples (N, 2, D) stacking [z_i,
     * z_t] (split a batch with {@link #image} and {@link #text}), labels the images' classes.
     *
     * @return the set (sharing this object's arrays)
     */
    public SampleSet pairs() {
        NDManager m = imageEmbeddings.getManager();
        return SampleSet.of(imageEmbeddings.stack(textEmbeddings, 1), m.create(labels).reshape(-1));
    }

    /**
     * z_i of a batch of {@link #pairs()}.
     *
     * @param pairs (B, 2, D)
     * @return (B, D)
     */
    public static NDArray image(NDArray pairs) {
        return pairs.get(":, 0, :");
    }

    /**
     * z_t of a batch of {@link #pairs()}.
     *
     * @param pairs (B, 2, D)
     * @return (B, D)
     */
    public static NDArray text(NDArray pairs) {
        return pairs.get(":, 1, :");
    }

    /**
     * Returns the image embeddings.
     *
     * @return z_i (N, D) unit vectors
     */
    public NDArray imageEmbeddings() {
        return imageEmbeddings;
    }

    /**
     * Returns the caption embeddings.
     *
     * @return z_t (N, D) unit vectors
     */
    public NDArray textEmbeddings() {
        return textEmbeddings;
    }

    /**
     * Returns the images' classes.
     *
     * @return N labels (a copy)
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Returns N.
     *
     * @return the number of pairs
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns D.
     *
     * @return the embedding size
     */
    public int dim() {
        return (int) imageEmbeddings.getShape().get(1);
    }
}
