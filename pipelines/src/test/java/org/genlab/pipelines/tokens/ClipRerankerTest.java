package org.genlab.pipelines.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.ClipTrainer;
import org.genlab.text.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * A tiny CLIP model learns three pairs (a real MNIST 0, 1 and 7 with "a zero", "a one", "a seven");
 * given the same three candidates for each prompt, the re-ranker keeps the matching digit.
 */
class ClipRerankerTest {

    @Test
    void theCandidateMatchingThePromptIsKept() {
        Seeds.seed(21);
        try (NDManager m = NDManager.newBaseManager()) {
            ImageDataset test =
                    ImageDataset.builder()
                            .setName("mnist")
                            .optSplit(Split.TEST)
                            .optLimit(64)
                            .build();
            SampleSet set = test.inMemory(m);
            int[] all = new int[set.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            long[] labels = set.labels(m, all).toLongArray();
            NDArray x =
                    set.samples(
                            m, new int[] {first(labels, 0), first(labels, 1), first(labels, 7)});
            List<String> captions = List.of("a zero", "a one", "a seven");
            Tokenizer tok = Tokenizer.of(captions);
            Clip clip =
                    Clip.builder()
                            .setImageShape(new Shape(1, 28, 28))
                            .setVocabularySize(tok.size())
                            .optMaxLength(4)
                            .optTextDim(16)
                            .optTextLayers(1)
                            .optTextHeads(2)
                            .optImageChannels(8)
                            .optImageDim(32)
                            .optEmbedDim(16)
                            .build();
            NDArray ids = tok.encode(m, captions, 4);
            ClipTrainer trainer =
                    ClipTrainer.builder()
                            .setModel(clip)
                            .setTokenizer(tok)
                            .setData(BatchSource.shuffled(SampleSet.of(x, ids), 3, 21))
                            .setManager(m)
                            .optLearningRate(3e-3f)
                            .build();
            long t0 = System.nanoTime();
            for (int step = 0; step < 40; step++) {
                try (NDManager sub = m.newSubManager()) {
                    trainer.step(step, sub);
                }
            }
            System.out.printf("clip 40 steps: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            ClipReranker reranker = new ClipReranker(clip, tok, m);
            // every prompt gets the same three candidates: 0, 1, 7
            NDArray candidates = NDArrays.stack(new ai.djl.ndarray.NDList(x, x, x));
            List<String> prompts = List.of("a seven", "a zero", "a one");
            ClipReranker.Choice c = reranker.choose(prompts, candidates);
            assertThat(c.images().getShape()).isEqualTo(new Shape(3, 1, 28, 28));
            int[] expected = {2, 0, 1};
            for (int i = 0; i < 3; i++) {
                assertThat(c.images().get(i).contentEquals(x.get(expected[i])))
                        .as("prompt %s", prompts.get(i))
                        .isTrue();
                float[] row = c.candidateScores()[i];
                assertThat(c.scores()[i]).isEqualTo(row[expected[i]]);
                for (float s : row) {
                    assertThat(s).isLessThanOrEqualTo(c.scores()[i]).isBetween(-1f, 1f);
                }
            }
            assertThat(c.meanChosen()).isGreaterThan(c.meanCandidates());
            // scores are the cosines of the pairs, one prompt per image
            float[] direct = reranker.scores(x, captions).toFloatArray();
            assertThat(direct[1])
                    .isCloseTo(c.scores()[2], org.assertj.core.api.Assertions.within(1e-5f));
            assertThatThrownBy(() -> reranker.choose(List.of("a one"), candidates))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("M = 1");
            assertThatThrownBy(() -> reranker.scores(x, List.of("a purple one", "a", "a")))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("purple");
        }
    }

    private static int first(long[] labels, int digit) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == digit) {
                return i;
            }
        }
        throw new AssertionError("no " + digit + " among the first test images");
    }
}
