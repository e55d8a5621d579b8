package org.genlab.text.clip;

import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;

/**
 * The settings that rebuild a {@link Clip}: written into a run's {@code config.properties} under
 * {@code clip.*} keys, read back by {@link Clip#load}.
 *
 * @param channels image channels C (1 for MNIST, 3 for CIFAR-10)
 * @param imageSize image height and width
 * @param vocabularySize V, the tokenizer's size (words + PAD)
 * @param maxLength the longest caption, in words
 * @param textDim the text encoder's width
 * @param textLayers its transformer layers
 * @param textHeads its attention heads
 * @param imageChannels the image encoder's first convolution's channels c (then 2c, 4c)
 * @param imageDim the image encoder's width
 * @param embedDim E, the shared embedding space
 */
public record ClipSpec(
        int channels,
        int imageSize,
        int vocabularySize,
        int maxLength,
        int textDim,
        int textLayers,
        int textHeads,
        int imageChannels,
        int imageDim,
        int embedDim) {

    /** The value of the run's {@code model} key. */
    public static final String MODEL = "clip";

    /**
     * Writes the settings as {@code clip.*} entries, plus {@code model=clip}.
     *
     * @return key to value
     */
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("model", MODEL);
        c.put("clip.channels", Integer.toString(channels));
        c.put("clip.imageSize", Integer.toString(imageSize));
        c.put("clip.vocabularySize", Integer.toString(vocabularySize));
        c.put("clip.maxLength", Integer.toString(maxLength));
        c.put("clip.textDim", Integer.toString(textDim));
        c.put("clip.textLayers", Integer.toString(textLayers));
        c.put("clip.textHeads", Integer.toString(textHeads));
        c.put("clip.imageChannels", Integer.toString(imageChannels));
        c.put("clip.imageDim", Integer.toString(imageDim));
        c.put("clip.embedDim", Integer.toString(embedDim));
        return c;
    }

    /**
     * Reads the settings written by {@link #toConfig}.
     *
     * @param config a run's configuration
     * @return the spec
     * @throws GenLabException naming the missing or bad key
     */
    public static ClipSpec fromConfig(Map<String, String> config) {
        return new ClipSpec(
                get(config, "clip.channels"),
                get(config, "clip.imageSize"),
                get(config, "clip.vocabularySize"),
                get(config, "clip.maxLength"),
                get(config, "clip.textDim"),
                get(config, "clip.textLayers"),
                get(config, "clip.textHeads"),
                get(config, "clip.imageChannels"),
                get(config, "clip.imageDim"),
                get(config, "clip.embedDim"));
    }

    private static int get(Map<String, String> config, String key) {
        String v = config.get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new GenLabException(
                    "The run's config.properties has "
                            + (v == null ? "no " + key : key + "=" + v + ", not a whole number")
                            + ": it is not a CLIP run written by ClipTrainer, or it was edited.",
                    e);
        }
    }
}
