package org.genlab.datasets.caption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.genlab.core.GenLabException;

/**
 * Prompts for evaluating a text-to-image model, and their score.
 *
 * <ul>
 *   <li>{@link #test}: compositions that occur in the test split, each attribute requested with
 *       probability 2/3, never a held-out composition — does the model follow what it was taught?
 *   <li>{@link #heldOut}: exactly the held-out compositions ("bold 3"), which no training caption
 *       mentions — can it compose a class and an attribute it never saw together?
 * </ul>
 *
 * <p>{@link #score} compares what a classifier and {@link AttributeMeasure} find in the generated
 * images with what was asked.
 */
public final class PromptSet {

    private PromptSet() {}

    /**
     * One prompt.
     *
     * @param label the class asked for
     * @param bins the bin asked for, per attribute; -1 for not asked
     * @param text the prompt text
     */
    public record Prompt(int label, int[] bins, String text) {
        @Override
        public String toString() {
            return text + " (class " + label + ", bins " + Arrays.toString(bins) + ")";
        }
    }

    /**
     * How well generated images follow their prompts.
     *
     * @param classAccuracy the fraction of images whose predicted class is the one asked for
     * @param attributeAccuracy the fraction of requested attributes whose measured bin is the one
     *     asked for
     * @param prompts how many prompts were scored
     * @param requested how many attributes were requested in all
     */
    public record Score(
            double classAccuracy, double attributeAccuracy, int prompts, int requested) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "class accuracy %.1f %% (%d prompts), attribute accuracy %.1f %% (%d requested)",
                    100 * classAccuracy,
                    prompts,
                    100 * attributeAccuracy,
                    requested);
        }
    }

    /**
     * Draws prompts from the test split's real compositions: a random test image's class and bins,
     * each attribute kept with probability 2/3; an attribute whose composition is held out is
     * dropped.
     *
     * @param testSplit the captioned test split
     * @param n how many prompts
     * @param seed the seed
     * @return the prompts, in canonical form ({@link Captioner#prompt})
     */
    public static List<Prompt> test(CaptionedImages testSplit, int n, long seed) {
        if (n < 1) {
            throw new GenLabException("Ask for at least one prompt, got " + n + ".");
        }
        Captioner c = testSplit.captioner();
        Random r = new Random(seed);
        List<Prompt> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = r.nextInt(testSplit.size());
            int label = testSplit.label(i);
            int[] b = testSplit.bins(i);
            for (int a = 0; a < b.length; a++) {
                if (r.nextInt(3) == 0 || c.isHeldOut(label, a, b[a])) {
                    b[a] = -1;
                }
            }
            out.add(new Prompt(label, b, c.prompt(label, b)));
        }
        return out;
    }

    /**
     * Makes prompts for exactly the held-out compositions: each asks for its class and its one
     * attribute bin, nothing else.
     *
     * @param captioner the captioner of the data set
     * @param perCombination how many copies of each prompt (one image is sampled per prompt)
     * @return {@code heldOut().size() * perCombination} prompts, grouped by composition
     */
    public static List<Prompt> heldOut(Captioner captioner, int perCombination) {
        List<Prompt> out = new ArrayList<>();
        for (Captioner.HeldOut h : captioner.heldOut()) {
            int[] b = new int[captioner.attributes().size()];
            Arrays.fill(b, -1);
            b[h.attribute()] = h.bin();
            String text = captioner.prompt(h.label(), b);
            for (int k = 0; k < perCombination; k++) {
                out.add(new Prompt(h.label(), b.clone(), text));
            }
        }
        return out;
    }

    /**
     * Scores generated images against their prompts.
     *
     * @param prompts the prompts, one image each
     * @param predictedLabels the class a classifier sees in each image
     * @param measuredAttributes each image's attributes ({@link AttributeMeasure#measure})
     * @param bins the training bins
     * @return class accuracy and attribute accuracy
     */
    public static Score score(
            List<Prompt> prompts,
            int[] predictedLabels,
            double[][] measuredAttributes,
            CaptionBins bins) {
        int n = prompts.size();
        if (predictedLabels.length != n || measuredAttributes.length != n) {
            throw new GenLabException(
                    "Give one prediction and one measurement per prompt: "
                            + n
                            + " prompts, "
                            + predictedLabels.length
                            + " predictions, "
                            + measuredAttributes.length
                            + " measurements.");
        }
        int right = 0;
        int requested = 0;
        int met = 0;
        for (int i = 0; i < n; i++) {
            Prompt p = prompts.get(i);
            right += predictedLabels[i] == p.label() ? 1 : 0;
            for (int a = 0; a < p.bins().length; a++) {
                if (p.bins()[a] >= 0) {
                    requested++;
                    met += bins.bin(a, measuredAttributes[i][a]) == p.bins()[a] ? 1 : 0;
                }
            }
        }
        return new Score(
                n == 0 ? 0 : (double) right / n,
                requested == 0 ? 0 : (double) met / requested,
                n,
                requested);
    }
}
