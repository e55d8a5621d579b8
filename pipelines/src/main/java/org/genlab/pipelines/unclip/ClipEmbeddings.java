package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.NoGrad;
import org.genlab.text.clip.Clip;

/**
 * CLIP image embeddings z_i = normalize(f_img(x) W_i) (Radford et al. 2021) of images, the
 * condition of the unCLIP decoder (Ramesh et al. 2022). A whole data set is embedded once, in
 * chunks, each in its own sub-manager, without gradients.
 *
 * <pre>{@code
 * Clip clip = Clip.load(clipRun, manager).clip();
 * NDArray z = ClipEmbeddings.of(clip, mnist, manager);   // (60000, D), unit rows
 * }</pre>
 */
public final class ClipEmbeddings {

    /** Images embedded per chunk. */
    public static final int CHUNK = 500;

    private ClipEmbeddings() {}

    /**
     * Embeds a batch of images.
     *
     * @param clip a trained CLIP model
     * @param images (B, C, H, W) in [−1, 1], the size CLIP was trained on
     * @return z_i (B, D) float32 unit rows, in the images' manager
     */
    public static NDArray embed(Clip clip, NDArray images) {
        try (NoGrad scope = NoGrad.enter()) {
            return clip.encodeImages(new ParameterStore(images.getManager(), false), images);
        }
    }

    /**
     * Embeds every image of a set.
     *
     * @param clip a trained CLIP model
     * @param images the images (N, C, H, W) in [−1, 1]
     * @param manager where the embeddings live
     * @return z_i (N, D) float32 unit rows, row n for image n
     */
    public static NDArray of(Clip clip, SampleSet images, NDManager manager) {
        int n = images.size();
        NDArray all = manager.zeros(new Shape(n, clip.spec().embedDim()));
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager sub = manager.newSubManager()) {
                all.set(new NDIndex(from + ":" + to), embed(clip, images.samples(sub, idx)));
            }
        }
        return all;
    }
}
