package org.genlab.pipelines.text2image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.genlab.core.data.SampleSet;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.caption.Captioner;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * Images with their captions as token ids: the data of CLIP and of text-to-image diffusion. Each
 * sample's "label" is the row of its caption's ids (L of them, padded with 0), so every trainer
 * that reads {@code (samples, labels)} batches reads captions unchanged.
 */
public final class CaptionedSamples {

    /**
     * The caption length GenLab's models read: room for the longest caption the captioners write.
     */
    public static final int MAX_LENGTH = 16;

    private CaptionedSamples() {}

    /**
     * The tokenizer for a data set's captions: every word its captioner can write.
     *
     * @param captioner the data set's captioner
     * @return the tokenizer
     */
    public static Tokenizer tokenizer(Captioner captioner) {
        return Tokenizer.of(captioner.vocabulary());
    }

    /**
     * Puts a captioned split in memory: images (N, C, H, W) in [−1, 1], caption ids (N, L).
     *
     * @param captions the captioned split
     * @param tokenizer the vocabulary
     * @param maxLength L
     * @param manager where the arrays live
     * @return the samples with caption rows as labels
     */
    public static SampleSet of(
            CaptionedImages captions, Tokenizer tokenizer, int maxLength, NDManager manager) {
        SampleSet images = captions.data().inMemory(manager);
        int n = captions.size();
        long[][] ids = new long[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = tokenizer.encode(captions.caption(i), maxLength);
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        NDArray x = images.samples(manager, all);
        return SampleSet.of(x, manager.create(ids));
    }
}
