package org.genlab.text.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;

/**
 * A word-level tokenizer: a caption becomes a row of word ids, padded with 0.
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizer.of(List.of("a", "seven", "the", "digit"));
 * long[] ids = tok.encode("The digit seven.", 8);    // [3, 1, 2, 0, 0, 0, 0, 0]
 * tok.decode(ids);                                   // "the digit seven"
 * }</pre>
 *
 * <p>Words are lower-cased and split on whitespace and the punctuation {@code , . : / - ; ! ? ( )},
 * which is dropped. Ids are deterministic: the known words sorted, numbered from 1. Id 0 is PAD,
 * and a row of zeros is the empty caption (what classifier-free guidance drops the text to). There
 * are no begin/end tokens: the encoder's padding mask tells where a caption ends.
 *
 * <p>Unknown words are refused, with the closest known words by edit distance, rather than mapped
 * to an "unknown" token: a small lecture model that silently ignores a mistyped word draws the
 * wrong picture without saying why. (DJL's {@code DefaultVocabulary} maps unknown words to an
 * {@code <unk>} id, which is why it is not used here.)
 *
 * <p>Saved as {@code vocab.txt}: one word per line, a word's id is its line number (from 1).
 */
public final class Tokenizer {

    /** The id of padding, and of the empty caption. */
    public static final long PAD = 0;

    /** The file name a run folder keeps the vocabulary under. */
    public static final String FILE_NAME = "vocab.txt";

    private static final Pattern SPLIT = Pattern.compile("[\\s,.:;/!?()\\-]+");

    private final List<String> words;
    private final Map<String, Long> ids;

    private Tokenizer(Collection<String> vocabulary) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String w : vocabulary) {
            sorted.addAll(split(w));
        }
        if (sorted.isEmpty()) {
            throw new GenLabException(
                    "A tokenizer needs at least one word: pass the words of the training"
                            + " captions.");
        }
        words = List.copyOf(sorted);
        ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), (long) i + 1);
        }
    }

    /**
     * Builds a tokenizer that knows the given words (each entry is split and lower-cased like a
     * caption, so whole captions may be passed). Ids are the sorted words' positions, from 1.
     *
     * @param words the words, or captions
     * @return the tokenizer
     */
    public static Tokenizer of(Collection<String> words) {
        return new Tokenizer(words);
    }

    /**
     * Loads a vocabulary saved by {@link #save}.
     *
     * @param file {@code vocab.txt}, or the run folder that holds it
     * @return the tokenizer, with the same ids
     */
    public static Tokenizer load(Path file) {
        Path f = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GenLabException(
                    "Cannot read the vocabulary "
                            + f
                            + ": "
                            + e.getMessage()
                            + ". A CLIP run folder keeps it as vocab.txt beside checkpoint.zip.",
                    e);
        }
        lines.removeIf(String::isBlank);
        Tokenizer t = new Tokenizer(lines);
        if (!t.words.equals(lines)) {
            throw new GenLabException(
                    "The vocabulary "
                            + f
                            + " is not one lower-case word per line in sorted order: it was not"
                            + " written by Tokenizer.save, and its ids would change.");
        }
        return t;
    }

    /**
     * Writes the vocabulary atomically, one word per line (a word's id is its line number).
     *
     * @param file the file, e.g. {@code run/vocab.txt}
     */
    public void save(Path file) {
        AtomicFiles.writeString(file, String.join("\n", words) + "\n");
    }

    /**
     * Splits a text into its lower-case words, without checking them.
     *
     * @param text the text
     * @return its words, in order
     */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String w : SPLIT.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Splits a text into its words and checks that each is known.
     *
     * @param text the text
     * @return its lower-case words
     * @throws GenLabException naming the first unknown word and the closest known ones
     */
    public List<String> words(String text) {
        List<String> out = split(text);
        for (String w : out) {
            if (!ids.containsKey(w)) {
                throw unknown(w, text);
            }
        }
        return out;
    }

    /**
     * Encodes a caption as a row of ids padded with {@link #PAD}.
     *
     * @param text the caption
     * @param maxLength L, the row's length
     * @return L ids
     * @throws GenLabException for an unknown word or a caption of more than L words
     */
    public long[] encode(String text, int maxLength) {
        List<String> ws = words(text);
        if (ws.size() > maxLength) {
            throw new GenLabException(
                    "The caption \""
                            + text
                            + "\" has "
                            + ws.size()
                            + " words, but the text encoder reads at most "
                            + maxLength
                            + ": shorten it, or train a model with a larger max length.");
        }
        long[] row = new long[maxLength];
        for (int i = 0; i < ws.size(); i++) {
            row[i] = ids.get(ws.get(i));
        }
        return row;
    }

    /**
     * Encodes a batch of captions.
     *
     * @param manager where to create the array
     * @param texts B captions
     * @param maxLength L
     * @return (B, L) int64 ids
     */
    public NDArray encode(NDManager manager, List<String> texts, int maxLength) {
        long[] all = new long[texts.size() * maxLength];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(encode(texts.get(i), maxLength), 0, all, i * maxLength, maxLength);
        }
        return manager.create(all, new Shape(texts.size(), maxLength));
    }

    /**
     * Turns ids back into text, skipping padding.
     *
     * @param ids a row of ids
     * @return the words joined by single spaces
     */
    public String decode(long[] ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            if (id == PAD) {
                continue;
            }
            if (id < 0 || id > words.size()) {
                throw new GenLabException(
                        "Token id " + id + " is not in this vocabulary of " + words.size() + ".");
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(words.get((int) id - 1));
        }
        return sb.toString();
    }

    /**
     * Returns the vocabulary size V, counting PAD: embedding tables need V rows.
     *
     * @return the number of words + 1
     */
    public int size() {
        return words.size() + 1;
    }

    /**
     * Returns the known words in id order (the word with id i is at i − 1).
     *
     * @return the words
     */
    public List<String> vocabulary() {
        return Collections.unmodifiableList(words);
    }

    /**
     * Tells whether a word is known.
     *
     * @param word the word (any case)
     * @return true when it has an id
     */
    public boolean knows(String word) {
        return ids.containsKey(word.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns the id of a known word.
     *
     * @param word the word
     * @return its id ≥ 1
     */
    public long id(String word) {
        Long id = ids.get(word.toLowerCase(Locale.ROOT));
        if (id == null) {
            throw unknown(word, word);
        }
        return id;
    }

    private GenLabException unknown(String word, String text) {
        List<String> close = closest(word, 3);
        return new GenLabException(
                "Unknown word '"
                        + word
                        + "' in the prompt \""
                        + text
                        + "\": the model knows "
                        + words.size()
                        + " words; closest: "
                        + String.join(", ", close)
                        + ". See the vocabulary with Tokenizer.vocabulary() or in the run's "
                        + FILE_NAME
                        + ".");
    }

    /** The known words nearest to a word by Levenshtein distance, ties broken alphabetically. */
    List<String> closest(String word, int n) {
        List<String> sorted = new ArrayList<>(words);
        Map<String, Integer> d = new HashMap<>();
        for (String w : words) {
            d.put(w, editDistance(word, w));
        }
        sorted.sort(Comparator.comparing((String w) -> d.get(w)).thenComparing(w -> w));
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    /**
     * The Levenshtein distance: the fewest insertions, deletions and substitutions that turn one
     * word into the other.
     */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
