package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.data.SampleSet;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.text.clip.Clip;

/**
 * The decoder of unCLIP (Ramesh et al. 2022, <i>Hierarchical Text-Conditional Image Generation with
 * CLIP Latents</i>, §2.1): a diffusion model P(x | z_i) of an image x given its CLIP image
 * embedding z_i. It is an ordinary GenLab diffusion run (pixels or latents, DDPM or flow matching)
 * whose "labels" are z_i, float rows (B, D), read through an {@link ImageEmbeddingEncoder}; the
 * zero vector is ∅, and z_i is zeroed with the label-dropout probability during training (the paper
 * drops the CLIP embedding 10% of the time) so that sampling can use classifier-free guidance
 *
 * <pre>
 *   ε̃ = ε(x_t, ∅) + w (ε(x_t, z_i) − ε(x_t, ∅))
 * </pre>
 *
 * <p>This class makes the pieces of such a run: its training set ({@link #trainingSet}), its
 * encoder ({@link #encoder}) and what its {@code config.properties} records ({@link #config}: key
 * {@code text=unclip}, {@code clipRun}, the {@code unclip.*} keys), from which {@code
 * TrainedModel.open} rebuilds it through {@link TextConditioning}.
 */
public final class UnclipDecoder {

    /** The value of the run's {@code text} key for a decoder. */
    public static final String TEXT_VALUE = "unclip";

    private UnclipDecoder() {}

    /**
     * The images of a set with their CLIP image embeddings as labels.
     *
     * @param clip the trained CLIP model
     * @param images the training images (N, C, H, W) in [−1, 1]
     * @param manager where the arrays live
     * @return the images in memory, labelled by z_i (N, D) float32 unit rows
     */
    public static SampleSet trainingSet(Clip clip, SampleSet images, NDManager manager) {
        SampleSet x = images.inMemory(manager);
        int[] all = new int[x.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        NDArray z = ClipEmbeddings.of(clip, x, manager);
        return SampleSet.of(x.samples(manager, all), z);
    }

    /**
     * The embedding encoder of a decoder for a CLIP model: D = CLIP's embedding dimension, k = 4
     * tokens.
     *
     * @param clip the CLIP model
     * @return the (uninitialised) encoder
     */
    public static ImageEmbeddingEncoder encoder(Clip clip) {
        return ImageEmbeddingEncoder.builder().setEmbeddingDim(clip.spec().embedDim()).build();
    }

    /**
     * What a decoder run records: {@code text=unclip}, {@code clipRun} and the encoder's keys.
     *
     * @param clipRun the CLIP run folder
     * @param encoder the decoder's encoder
     * @return key to value
     */
    public static Map<String, String> config(Path clipRun, ImageEmbeddingEncoder encoder) {
        Map<String, String> c = new LinkedHashMap<>(encoder.toConfig());
        c.put(TextConditioning.TEXT_KEY, TEXT_VALUE);
        c.put(TextConditioning.CLIP_KEY, clipRun.toAbsolutePath().normalize().toString());
        return c;
    }

    /**
     * Tells whether a run's settings describe an unCLIP decoder.
     *
     * @param config the run's settings
     * @return true when {@code text=unclip}
     */
    public static boolean isDecoder(Map<String, String> config) {
        return TEXT_VALUE.equals(config.get(TextConditioning.TEXT_KEY));
    }

    /**
     * Returns the CLIP run a decoder was trained with.
     *
     * @param config the decoder run's settings
     * @return the CLIP run folder
     * @throws GenLabException when the run is not a decoder
     */
    public static Path clipRun(Map<String, String> config) {
        String p = config.get(TextConditioning.CLIP_KEY);
        if (!isDecoder(config) || p == null) {
            throw new GenLabException(
                    "This run is not an unCLIP decoder (no text=unclip and clipRun in its"
                            + " config.properties): train one with genlab train diffusion"
                            + " --clip-image CLIP_RUN.");
        }
        return Path.of(p);
    }
}
