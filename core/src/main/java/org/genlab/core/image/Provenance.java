package org.genlab.core.image;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLab;

/**
 * The label GenLab writes into every image it makes: who made it, with which model and run and
 * seed, and that it is AI-generated.
 *
 * <p>The disclosure follows the IPTC "digital source type" vocabulary: an image made by a trained
 * generative model is {@value #TRAINED_ALGORITHMIC_MEDIA}. GenLab writes it twice: as a plain PNG
 * text chunk (readable by any PNG tool) and inside an XMP packet (the form photo software and
 * content-credential checkers read). {@link PngWriter#readText(java.nio.file.Path)} reads it back.
 */
public final class Provenance {

    /** IPTC NewsCodes URI for "created by a trained algorithmic model". */
    public static final String TRAINED_ALGORITHMIC_MEDIA =
            "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    /** PNG text keyword of the IPTC digital source type. */
    public static final String KEY_SOURCE_TYPE = "DigitalSourceType";

    /** PNG text keyword of the human-readable disclosure. */
    public static final String KEY_DISCLOSURE = "AI-Disclosure";

    private final Map<String, String> text;

    private Provenance(Map<String, String> text) {
        this.text = Collections.unmodifiableMap(text);
    }

    /**
     * Starts a label for a generated image.
     *
     * @return a builder with the software, version, time and disclosure filled in
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the text entries, in the order they are written.
     *
     * @return keyword to value
     */
    public Map<String, String> text() {
        return text;
    }

    /**
     * Returns the XMP packet that carries the IPTC digital source type.
     *
     * @return an XMP document
     */
    public String xmp() {
        return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                + " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                + "  <rdf:Description rdf:about=\"\"\n"
                + "    xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"\n"
                + "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                + "    Iptc4xmpExt:DigitalSourceType=\""
                + TRAINED_ALGORITHMIC_MEDIA
                + "\"\n"
                + "    xmp:CreatorTool=\""
                + escape(text.getOrDefault("Software", GenLab.software()))
                + "\"/>\n"
                + " </rdf:RDF>\n"
                + "</x:xmpmeta>\n"
                + "<?xpacket end=\"r\"?>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    /** Builds a {@link Provenance}. */
    public static final class Builder {
        private final Map<String, String> text = new LinkedHashMap<>();

        Builder() {
            text.put("Software", GenLab.software());
            text.put("Creation Time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            text.put(KEY_SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
            text.put(
                    KEY_DISCLOSURE,
                    "AI-generated image: made by a generative model trained with "
                            + GenLab.NAME
                            + ". It does not show a real scene or a real drawing.");
        }

        /**
         * Names the model, e.g. {@code dcgan} or {@code ddpm-unet}.
         *
         * @param model the model
         * @return this builder
         */
        public Builder optModel(String model) {
            return opt("Model", model);
        }

        /**
         * Names the run folder the model was trained in.
         *
         * @param run the run
         * @return this builder
         */
        public Builder optRun(String run) {
            return opt("Run", run);
        }

        /**
         * Records the seed the image was drawn with.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            return opt("Seed", Long.toString(seed));
        }

        /**
         * Adds any other fact, e.g. the sampler or the training step.
         *
         * @param key the keyword (Latin-1, 1 to 79 characters)
         * @param value the value
         * @return this builder
         */
        public Builder opt(String key, String value) {
            if (value != null) {
                text.put(key, value);
            }
            return this;
        }

        /**
         * Builds the label.
         *
         * @return the label
         */
        public Provenance build() {
            return new Provenance(new LinkedHashMap<>(text));
        }
    }
}
