package org.genlab.datasets.caption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.genlab.core.GenLabException;
import org.genlab.datasets.DatasetSpec;

/**
 * Writes a caption from an image's class and attribute bins: "a bold seven leaning right",
 * "handwritten 7, thin strokes, small", "a photo of a large dark coat".
 *
 * <p>Everything is decided by a <em>variant</em> number (for a data set image: its index), hashed
 * with SplitMix64 into independent choices, so the same image always gets the same caption:
 *
 * <ol>
 *   <li>each attribute is mentioned with probability 2/3 — captions vary in length, and a model
 *       learns that an unmentioned attribute may be anything;
 *   <li>an attribute whose (class, attribute, bin) is a {@linkplain #heldOut() held-out
 *       composition} is never mentioned: the image stays in training, the caption just leaves that
 *       attribute out, so a text-to-image model never sees "bold 3" and can be tested on it;
 *   <li>one of the templates ({@link #templates()}), the class word (digits: "seven" or "7";
 *       clothing: the Fashion-MNIST class name, lower-case, one of its "/" alternatives) and one
 *       synonym per mentioned attribute.
 * </ol>
 *
 * <p>{@link #prompt} writes the canonical form (first template, first synonyms) that evaluation
 * uses; {@link #vocabulary} lists every word a caption can contain, for a word-level tokenizer.
 */
public final class Captioner {

    /**
     * A (class, attribute, bin) composition that training captions never mention.
     *
     * @param label the class
     * @param attribute the attribute index
     * @param bin the bin, 0..2
     */
    public record HeldOut(int label, int attribute, int bin) {}

    private static final String[] NUMBER_WORDS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
    };

    /** Digits held out: thickness 0, slant 1, size 2; bins 0 low, 1 middle, 2 high. */
    private static final List<HeldOut> DIGITS_HELD_OUT =
            List.of(
                    new HeldOut(3, DigitAttributes.THICKNESS, 2), // bold three
                    new HeldOut(8, DigitAttributes.THICKNESS, 0), // thin eight
                    new HeldOut(7, DigitAttributes.SLANT, 0), // seven leaning left
                    new HeldOut(2, DigitAttributes.SLANT, 2), // two leaning right
                    new HeldOut(6, DigitAttributes.SIZE, 0), // small six
                    new HeldOut(5, DigitAttributes.SIZE, 2)); // large five

    /** Clothing held out: brightness 0, size 1. */
    private static final List<HeldOut> CLOTHING_HELD_OUT =
            List.of(
                    new HeldOut(0, GarmentAttributes.BRIGHTNESS, 2), // bright t-shirt/top
                    new HeldOut(4, GarmentAttributes.BRIGHTNESS, 0), // dark coat
                    new HeldOut(3, GarmentAttributes.SIZE, 0), // small dress
                    new HeldOut(8, GarmentAttributes.SIZE, 2)); // large bag

    /** Adjectives (before the noun), by attribute name then bin; the first is canonical. */
    private static final java.util.Map<String, String[][]> ADJECTIVES =
            java.util.Map.of(
                    "thickness",
                    new String[][] {{"thin", "fine"}, {"regular", "normal"}, {"bold", "thick"}},
                    "slant",
                    new String[][] {{"left-leaning"}, {"upright", "straight"}, {"right-leaning"}},
                    "size",
                    new String[][] {
                        {"small", "little"}, {"medium-sized", "mid-sized"}, {"large", "big"}
                    },
                    "brightness",
                    new String[][] {{"dark", "dim"}, {"mid-grey", "grey"}, {"bright", "light"}});

    /** Phrases after the noun, by attribute name then bin; the first is canonical. */
    private static final java.util.Map<String, String[][]> TAILS =
            java.util.Map.of(
                    "thickness",
                    new String[][] {
                        {"thin strokes", "fine strokes"},
                        {"regular strokes", "normal strokes"},
                        {"bold strokes", "thick strokes"}
                    },
                    "slant",
                    new String[][] {
                        {"leaning left", "tilted left", "slanting left"},
                        {"upright", "standing straight"},
                        {"leaning right", "tilted right", "slanting right"}
                    },
                    "size",
                    new String[][] {
                        {"small", "written small"},
                        {"medium size", "medium-sized"},
                        {"large", "written large"}
                    },
                    "garment size",
                    new String[][] {
                        {"small", "small in the frame"},
                        {"medium size", "medium-sized"},
                        {"large", "filling the frame"}
                    },
                    "brightness",
                    new String[][] {
                        {"dark", "in a dark tone"},
                        {"mid-grey", "in a grey tone"},
                        {"bright", "in a light tone"}
                    });

    private static final String[] DIGIT_TEMPLATES = {
        "a {adjectives} {word} {slant}",
        "handwritten {numeral}, {tails}",
        "the digit {word or numeral}, {tails}",
        "{adjectives} digit {numeral}",
        "a picture of a {adjectives} {word}",
        "number {numeral}: {tails}"
    };

    private static final String[] CLOTHING_TEMPLATES = {
        "a {adjectives} {noun}",
        "{noun}, {tails}",
        "a photo of a {adjectives} {noun}",
        "a greyscale image of a {adjectives} {noun}"
    };

    private final DatasetSpec spec;
    private final boolean digits;
    private final List<String> attributes;
    private final List<HeldOut> heldOut;
    private final int[] adjectiveOrder;

    private Captioner(DatasetSpec spec) {
        this.spec = spec;
        this.digits = spec == DatasetSpec.MNIST;
        this.attributes = AttributeMeasure.forDataset(spec.name()).names();
        this.heldOut = digits ? DIGITS_HELD_OUT : CLOTHING_HELD_OUT;
        // size first ("a small bold seven"), then the others in attribute order
        int sizeIndex = attributes.indexOf("size");
        int[] order = new int[attributes.size()];
        order[0] = sizeIndex;
        for (int a = 0, k = 1; a < attributes.size(); a++) {
            if (a != sizeIndex) {
                order[k++] = a;
            }
        }
        this.adjectiveOrder = order;
    }

    /**
     * Returns the captioner of a data set.
     *
     * @param dataset {@code mnist} or {@code fashion-mnist}
     * @return its captioner
     * @throws GenLabException for other data sets
     */
    public static Captioner forDataset(String dataset) {
        return new Captioner(DatasetSpec.byName(dataset));
    }

    /**
     * Returns the attribute names, in bin order.
     *
     * @return e.g. {@code [thickness, slant, size]}
     */
    public List<String> attributes() {
        return attributes;
    }

    /**
     * Returns the held-out compositions of this data set. Digits: bold three, thin eight, seven
     * leaning left, two leaning right, small six, large five. Clothing: bright t-shirt/top, dark
     * coat, small dress, large bag. Each is 17 % to 60 % of its class in the test split (170 to 600
     * test images), so a model's attempts can be compared with real examples.
     *
     * @return the fixed list
     */
    public List<HeldOut> heldOut() {
        return heldOut;
    }

    /**
     * Tells whether a composition is held out of training captions.
     *
     * @param label the class
     * @param attribute the attribute index
     * @param bin the bin
     * @return true if training captions never mention it
     */
    public boolean isHeldOut(int label, int attribute, int bin) {
        return heldOut.contains(new HeldOut(label, attribute, bin));
    }

    /**
     * Returns the template patterns, for reading; {@link #template(long)} picks one.
     *
     * @return the patterns, e.g. {@code "handwritten {numeral}, {tails}"}
     */
    public List<String> templates() {
        return List.of(digits ? DIGIT_TEMPLATES : CLOTHING_TEMPLATES);
    }

    /**
     * Returns which template a variant uses.
     *
     * @param variant the variant number
     * @return an index into {@link #templates()}
     */
    public int template(long variant) {
        return (int) Long.remainderUnsigned(mix(variant) >>> 32, templates().size());
    }

    /**
     * Decides which attributes a training caption mentions: each with probability 2/3 (decided by
     * the variant), never a held-out composition.
     *
     * @param label the class
     * @param bins the image's bins, one per attribute
     * @param variant the variant number (the image index)
     * @return the bins mentioned, -1 for an attribute left out
     */
    public int[] mentioned(int label, int[] bins, long variant) {
        long h = mix(variant);
        int[] m = new int[bins.length];
        for (int a = 0; a < bins.length; a++) {
            boolean say = Long.remainderUnsigned(h >>> (8 * a), 3) != 0;
            m[a] = say && !isHeldOut(label, a, bins[a]) ? bins[a] : -1;
        }
        return m;
    }

    /**
     * Writes the training caption of an image.
     *
     * @param label the class
     * @param bins the image's bins, one per attribute
     * @param variant the variant number (the image index)
     * @return the caption
     */
    public String caption(int label, int[] bins, long variant) {
        return render(label, mentioned(label, bins, variant), variant);
    }

    /**
     * Writes the canonical prompt for a class and requested bins: the first template with the first
     * synonyms, e.g. "a bold seven leaning right", "a large dark coat". Unlike {@link #caption}, it
     * writes held-out compositions too.
     *
     * @param label the class
     * @param bins the requested bin of each attribute, -1 for not mentioned
     * @return the prompt
     */
    public String prompt(int label, int[] bins) {
        return build(label, bins, 0, null);
    }

    /**
     * Writes a caption that mentions exactly the given bins, in the template and with the synonyms
     * the variant picks.
     *
     * @param label the class
     * @param mentioned the bin of each attribute, -1 for not mentioned
     * @param variant the variant number
     * @return the caption
     */
    public String render(int label, int[] mentioned, long variant) {
        return build(label, mentioned, template(variant), new long[] {mix(variant ^ 0x5DEECE66DL)});
    }

    /** Fills a template; {@code bits == null} picks the first (canonical) synonym everywhere. */
    private String build(int label, int[] m, int template, long[] bits) {
        if (label < 0 || label >= spec.classNames().size()) {
            throw new GenLabException(
                    "Class " + label + " does not exist in " + spec.name() + ": use 0..9.");
        }
        if (m.length != attributes.size()) {
            throw new GenLabException(
                    "Give one bin per attribute " + attributes + ", got " + m.length + ".");
        }
        String pattern = templates().get(template);
        boolean slantAsTail = pattern.contains("{slant}");
        List<String> adjectives = new ArrayList<>();
        for (int a : adjectiveOrder) {
            if (m[a] >= 0 && !(slantAsTail && attributes.get(a).equals("slant"))) {
                adjectives.add(pick(ADJECTIVES.get(attributes.get(a))[m[a]], bits));
            }
        }
        List<String> tails = new ArrayList<>();
        for (int a = 0; a < m.length; a++) {
            if (m[a] >= 0) {
                tails.add(pick(tails(a)[m[a]], bits));
            }
        }
        String slant = "";
        int s = attributes.indexOf("slant");
        if (slantAsTail && s >= 0 && m[s] >= 0) {
            slant = pick(TAILS.get("slant")[m[s]], bits);
        }
        String numeral = Integer.toString(label);
        String word = digits ? NUMBER_WORDS[label] : pick(nouns(label), bits);
        String text =
                pattern.replace("{adjectives}", String.join(" ", adjectives))
                        .replace("{tails}", String.join(", ", tails))
                        .replace("{slant}", slant)
                        .replace("{word or numeral}", pick(new String[] {word, numeral}, bits))
                        .replace("{word}", word)
                        .replace("{noun}", word)
                        .replace("{numeral}", numeral);
        // tidy what empty slots leave: double spaces, a dangling ", " or ": "
        text = text.replaceAll(" {2,}", " ").replaceAll("[,:] *$", "").trim();
        return article(text);
    }

    /** "a eight" → "an eight", "a upright" → "an upright", anywhere in the text. */
    private static String article(String text) {
        String[] w = text.split(" ");
        for (int i = 0; i + 1 < w.length; i++) {
            if (w[i].equals("a")
                    && "aeiou".indexOf(w[i + 1].charAt(0)) >= 0
                    && !w[i + 1].startsWith("one")) {
                w[i] = "an";
            }
        }
        return String.join(" ", w);
    }

    private String[][] tails(int attribute) {
        String name = attributes.get(attribute);
        return TAILS.get(!digits && name.equals("size") ? "garment size" : name);
    }

    private String[] nouns(int label) {
        return spec.classNames().get(label).toLowerCase(Locale.ROOT).split("/");
    }

    private static String pick(String[] options, long[] bits) {
        if (bits == null) {
            return options[0];
        }
        int k = (int) Long.remainderUnsigned(bits[0], options.length);
        bits[0] = mix(bits[0]);
        return options[k];
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of the variant. */
    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns every phrase that can stand for one bin (adjectives and phrases after the noun).
     *
     * @param attribute the attribute index
     * @param bin the bin
     * @return the phrases, e.g. {@code [bold, thick, bold strokes, thick strokes]}
     */
    public List<String> phrases(int attribute, int bin) {
        List<String> p = new ArrayList<>();
        p.addAll(Arrays.asList(ADJECTIVES.get(attributes.get(attribute))[bin]));
        p.addAll(Arrays.asList(tails(attribute)[bin]));
        return p;
    }

    /**
     * Returns the words that can name a class.
     *
     * @param label the class
     * @return digits: the number word and the numeral; clothing: the class name's alternatives
     */
    public List<String> classWords(int label) {
        return digits
                ? List.of(NUMBER_WORDS[label], Integer.toString(label))
                : List.of(nouns(label));
    }

    /**
     * Returns every word a caption or prompt of this captioner can contain, lower-case, split as
     * {@link #tokens} splits: the template words, the class words and every synonym.
     *
     * @return the vocabulary, sorted
     */
    public Set<String> vocabulary() {
        Set<String> v = new TreeSet<>();
        for (String t : templates()) {
            v.addAll(tokens(t.replaceAll("\\{[^}]*}", " ")));
        }
        v.add("an");
        for (int c = 0; c < spec.classNames().size(); c++) {
            for (String w : classWords(c)) {
                v.addAll(tokens(w));
            }
        }
        for (int a = 0; a < attributes.size(); a++) {
            for (int b = 0; b < 3; b++) {
                for (String p : phrases(a, b)) {
                    v.addAll(tokens(p));
                }
            }
        }
        return v;
    }

    /**
     * Splits a text into lower-case words: on white space and on the punctuation {@code , . - : /}.
     *
     * @param text a caption
     * @return its words, in order
     */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String t : text.toLowerCase(Locale.ROOT).split("[\\s,.:/\\-]+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
