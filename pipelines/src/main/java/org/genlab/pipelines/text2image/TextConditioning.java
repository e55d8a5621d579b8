package org.genlab.pipelines.text2image;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.train.TextEncoders;
import org.genlab.pipelines.unclip.ImageEmbeddingEncoder;
import org.genlab.pipelines.unclip.UnclipDecoder;
import org.genlab.text.clip.Clip;
import org.genlab.text.encoder.TextEncoder;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * The text encoder of a text-to-image diffusion model, and how a run folder remembers it. Either
 * the text half of a trained CLIP model, kept frozen ({@link #fromClip}: DALL-E 2 and latent
 * diffusion condition on a pretrained text encoder), or a fresh transformer trained together with
 * the denoiser ({@link #fresh}: GLIDE). The run's {@code config.properties} records the encoder's
 * shape ({@code text.*} keys) and the vocabulary (key {@code vocabulary}, the words in id order),
 * so {@link #create} — found by {@code TrainedModel.open} through {@link TextEncoders} — rebuilds
 * it and the checkpoint fills in its weights.
 *
 * <p>An unCLIP decoder ({@code text=unclip}, see {@link UnclipDecoder}) reads a CLIP image
 * embedding instead of a caption; {@link #create} rebuilds its {@link ImageEmbeddingEncoder} from
 * the {@code unclip.*} keys.
 */
public final class TextConditioning implements TextEncoders {

    /**
     * How the encoder was made: {@code clip} (frozen), {@code glide} (trained with the UNet) or
     * {@code unclip} (an image-embedding encoder, trained with the UNet).
     */
    public static final String TEXT_KEY = "text";

    /** The vocabulary, the words in id order separated by spaces. */
    public static final String VOCABULARY_KEY = "vocabulary";

    /** The CLIP run the frozen encoder (or an unCLIP decoder's embeddings) came from. */
    public static final String CLIP_KEY = "clipRun";

    /**
     * A text encoder ready to go into a UNet ({@code ModelSpec.build(manager, block, trainable)}).
     *
     * @param block the encoder: ids (B, L) → (tokens, mask, pooled)
     * @param tokenizer its vocabulary
     * @param trainable whether the denoiser's optimiser trains it
     * @param config what the run folder records about it
     */
    public record Encoder(
            TextEncoder block, Tokenizer tokenizer, boolean trainable, Map<String, String> config) {

        /**
         * Returns L, the caption length the encoder reads.
         *
         * @return L
         */
        public int maxLength() {
            return block.maxLength();
        }
    }

    /** For {@link java.util.ServiceLoader}. */
    public TextConditioning() {}

    /**
     * The text half of a trained CLIP run, to be kept frozen.
     *
     * @param clipRun a folder written by {@code genlab train clip}
     * @param manager where its weights go
     * @return the encoder (initialised, with CLIP's weights)
     */
    public static Encoder fromClip(Path clipRun, NDManager manager) {
        Clip.Loaded loaded = Clip.load(clipRun, manager);
        TextEncoder enc = loaded.clip().textEncoder();
        Map<String, String> c = describe(enc, loaded.tokenizer());
        c.put(TEXT_KEY, "clip");
        c.put(CLIP_KEY, clipRun.toAbsolutePath().normalize().toString());
        return new Encoder(enc, loaded.tokenizer(), false, c);
    }

    /**
     * A fresh transformer for the given words, trained with the denoiser (GLIDE).
     *
     * @param tokenizer the vocabulary
     * @param maxLength L
     * @return the encoder (initialised by the UNet on its first forward)
     */
    public static Encoder fresh(Tokenizer tokenizer, int maxLength) {
        TextEncoder enc =
                TextEncoder.builder()
                        .setVocabularySize(tokenizer.size())
                        .optMaxLength(maxLength)
                        .build();
        Map<String, String> c = describe(enc, tokenizer);
        c.put(TEXT_KEY, "glide");
        return new Encoder(enc, tokenizer, true, c);
    }

    private static Map<String, String> describe(TextEncoder enc, Tokenizer tokenizer) {
        Map<String, String> c = new LinkedHashMap<>(enc.toConfig());
        c.put(VOCABULARY_KEY, String.join(" ", tokenizer.vocabulary()));
        return c;
    }

    /**
     * Reads the tokenizer a text run recorded.
     *
     * @param config the run's settings
     * @return the tokenizer, with the same ids
     */
    public static Tokenizer tokenizer(Map<String, String> config) {
        String words = config.get(VOCABULARY_KEY);
        if (words == null || words.isBlank()) {
            throw new GenLabException(
                    "This run's config.properties has no vocabulary: it was not trained on"
                            + " captions (genlab train diffusion --text).");
        }
        return Tokenizer.of(Arrays.asList(words.split(" ")));
    }

    /**
     * Reads L, the caption length of a text run.
     *
     * @param config the run's settings
     * @return L
     */
    public static int maxLength(Map<String, String> config) {
        return Integer.parseInt(config.getOrDefault("text.maxLength", "16"));
    }

    @Override
    public Block create(RunFolder folder, NDManager manager) {
        Map<String, String> c = folder.config();
        if (UnclipDecoder.isDecoder(c)) {
            return ImageEmbeddingEncoder.fromConfig(c);
        }
        try {
            Tokenizer tok = tokenizer(c);
            TextEncoder enc =
                    TextEncoder.builder()
                            .setVocabularySize(Integer.parseInt(c.get("text.vocabularySize")))
                            .optDim(Integer.parseInt(c.get("text.dim")))
                            .optLayers(Integer.parseInt(c.get("text.layers")))
                            .optHeads(Integer.parseInt(c.get("text.heads")))
                            .optMaxLength(Integer.parseInt(c.get("text.maxLength")))
                            .build();
            if (tok.size() != enc.vocabularySize()) {
                throw new GenLabException(
                        "The run's vocabulary has "
                                + tok.size()
                                + " ids but its text encoder "
                                + enc.vocabularySize()
                                + ": config.properties was edited.");
            }
            return enc;
        } catch (NumberFormatException | NullPointerException e) {
            throw new GenLabException(
                    "The run in "
                            + folder.dir()
                            + " reads captions but its config.properties does not describe its"
                            + " text encoder (text.* keys): was it edited?",
                    e);
        }
    }
}
