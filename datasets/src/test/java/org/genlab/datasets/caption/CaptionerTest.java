package org.genlab.datasets.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.genlab.core.GenLabException;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Captions and prompts of the real MNIST and Fashion-MNIST splits. */
class CaptionerTest {

    private static CaptionedImages mnist;
    private static CaptionedImages mnistTest;
    private static CaptionedImages fashion;

    @BeforeAll
    static void load() {
        mnist = CaptionedImages.of(ImageDataset.builder().setName("mnist").build());
        mnistTest =
                CaptionedImages.of(
                        ImageDataset.builder().setName("mnist").optSplit(Split.TEST).build());
        fashion = CaptionedImages.of(ImageDataset.builder().setName("fashion-mnist").build());
    }

    @Test
    void captionsAreDeterministicVariedAndInTheVocabulary() {
        for (CaptionedImages c : List.of(mnist, fashion)) {
            Captioner again = Captioner.forDataset(c.data().spec().name());
            Set<Integer> templates = new HashSet<>();
            Set<Integer> lengths = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                assertThat(again.caption(c.label(i), c.bins(i), i)).isEqualTo(c.caption(i));
                templates.add(c.captioner().template(i));
                lengths.add(Captioner.tokens(c.caption(i)).size());
            }
            assertThat(templates).hasSizeGreaterThanOrEqualTo(4);
            assertThat(lengths).hasSizeGreaterThanOrEqualTo(4);
            Set<String> vocabulary = c.captioner().vocabulary();
            Set<String> used = new HashSet<>();
            for (String caption : c.captions()) {
                used.addAll(Captioner.tokens(caption));
            }
            assertThat(vocabulary).containsAll(used);
            assertThat(vocabulary).allMatch(w -> w.equals(w.toLowerCase()) && !w.isBlank());
        }
        assertThat(mnist.captioner().vocabulary())
                .contains("seven", "7", "bold", "leaning", "right", "handwritten");
        assertThat(fashion.captioner().vocabulary()).contains("ankle", "boot", "t", "shirt");
    }

    @Test
    void eachAttributeIsMentionedInAboutTwoThirdsOfTheCaptions() {
        int[] said = new int[3];
        for (int i = 0; i < mnist.size(); i++) {
            int[] m = mnist.mentioned(i);
            for (int a = 0; a < 3; a++) {
                said[a] += m[a] >= 0 ? 1 : 0;
                if (m[a] >= 0) {
                    assertThat(m[a]).isEqualTo(mnist.bins(i)[a]);
                }
            }
        }
        for (int a = 0; a < 3; a++) {
            assertThat(said[a] / 60_000.0).isBetween(0.58, 0.67);
        }
    }

    @Test
    void heldOutCompositionsNeverAppearInTrainingCaptions() {
        for (CaptionedImages c : List.of(mnist, fashion)) {
            Captioner cap = c.captioner();
            assertThat(cap.heldOut()).hasSize(c == mnist ? 6 : 4);
            int imagesWithHeldOut = 0;
            for (int i = 0; i < c.size(); i++) {
                int label = c.label(i);
                int[] m = c.mentioned(i);
                String text = " " + c.caption(i) + " ";
                for (Captioner.HeldOut h : cap.heldOut()) {
                    if (h.label() != label) {
                        continue;
                    }
                    assertThat(m[h.attribute()]).isNotEqualTo(h.bin());
                    imagesWithHeldOut += c.bins(i)[h.attribute()] == h.bin() ? 1 : 0;
                    for (String phrase : cap.phrases(h.attribute(), h.bin())) {
                        assertThat(text)
                                .as("caption %d of class %d", i, label)
                                .doesNotContainPattern(
                                        "(?<![\\w-])" + Pattern.quote(phrase) + "(?![\\w-])");
                    }
                }
            }
            // the images stay in training, only their captions are silent on it
            assertThat(imagesWithHeldOut).isGreaterThan(1000);
        }
        assertThat(mnist.captioner().isHeldOut(3, DigitAttributes.THICKNESS, 2)).isTrue();
        assertThat(mnist.captioner().isHeldOut(3, DigitAttributes.THICKNESS, 1)).isFalse();
    }

    @Test
    void promptsAreCanonical() {
        Captioner c = mnist.captioner();
        assertThat(c.prompt(7, new int[] {2, 2, -1})).isEqualTo("a bold seven leaning right");
        assertThat(c.prompt(8, new int[] {-1, 1, 0})).isEqualTo("a small eight upright");
        assertThat(c.prompt(3, new int[] {-1, -1, -1})).isEqualTo("a three");
        assertThat(fashion.captioner().prompt(4, new int[] {0, 2})).isEqualTo("a large dark coat");
        assertThatThrownBy(() -> c.prompt(10, new int[] {0, 0, 0}))
                .isInstanceOf(GenLabException.class);
        assertThatThrownBy(() -> c.prompt(1, new int[] {0, 0}))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("one bin per attribute");
    }

    @Test
    void testPromptsSkipHeldOutCompositionsAndHeldOutPromptsAskForThem() {
        List<PromptSet.Prompt> prompts = PromptSet.test(mnistTest, 500, 7);
        assertThat(prompts).hasSize(500);
        assertThat(PromptSet.test(mnistTest, 500, 7).get(42).text())
                .isEqualTo(prompts.get(42).text());
        int withAttribute = 0;
        Set<String> vocabulary = mnist.captioner().vocabulary();
        for (PromptSet.Prompt p : prompts) {
            boolean any = false;
            for (int a = 0; a < 3; a++) {
                if (p.bins()[a] >= 0) {
                    any = true;
                    assertThat(mnist.captioner().isHeldOut(p.label(), a, p.bins()[a])).isFalse();
                }
            }
            withAttribute += any ? 1 : 0;
            assertThat(vocabulary).containsAll(Captioner.tokens(p.text()));
        }
        assertThat(withAttribute).isGreaterThan(450);

        List<PromptSet.Prompt> held = PromptSet.heldOut(mnist.captioner(), 3);
        assertThat(held).hasSize(18);
        assertThat(held.get(0).text()).isEqualTo("a bold three");
        assertThat(held.stream().map(PromptSet.Prompt::text).distinct())
                .containsExactly(
                        "a bold three",
                        "a thin eight",
                        "a seven leaning left",
                        "a two leaning right",
                        "a small six",
                        "a large five");
    }

    @Test
    void realImagesScorePerfectlyAgainstTheirOwnCompositions() {
        List<PromptSet.Prompt> prompts = new java.util.ArrayList<>();
        int n = 200;
        int[] labels = new int[n];
        int[] wrong = new int[n];
        double[][] measured = new double[n][];
        for (int i = 0; i < n; i++) {
            int[] b = mnistTest.bins(i);
            prompts.add(new PromptSet.Prompt(mnistTest.label(i), b, ""));
            labels[i] = mnistTest.label(i);
            wrong[i] = (labels[i] + 1) % 10;
            measured[i] = mnistTest.attributes(i);
        }
        PromptSet.Score s = PromptSet.score(prompts, labels, measured, mnistTest.bins());
        assertThat(s.classAccuracy()).isEqualTo(1.0);
        assertThat(s.attributeAccuracy()).isEqualTo(1.0);
        assertThat(s.requested()).isEqualTo(600);
        assertThat(s.toString()).contains("class accuracy 100.0 % (200 prompts)");
        PromptSet.Score bad = PromptSet.score(prompts, wrong, new double[n][3], mnistTest.bins());
        assertThat(bad.classAccuracy()).isZero();
        assertThat(bad.attributeAccuracy()).isLessThan(0.5);
    }
}
