package org.genlab.autoregressive;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.autoregressive.sample.TokenSampler;
import org.genlab.autoregressive.train.NextTokenLoss;
import org.genlab.autoregressive.train.TokenTransformerTrainer;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.junit.jupiter.api.Test;

/**
 * A tiny class-conditional training on constructed token sequences: class 0 is always the pattern 0
 * 1 2 … 8, class 1 the same backwards. The loss falls and sampling writes each class's pattern.
 */
class TokenTrainingTest {

    private static final long[] UP = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    private static final long[] DOWN = {8, 7, 6, 5, 4, 3, 2, 1, 0};

    @Test
    void nextTokenLossIsLogKForUniformLogitsAndZeroForCertainOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new long[][] {UP});
            NDArray uniform = m.zeros(new Shape(1, 9, 10));
            assertThat(NextTokenLoss.apply(uniform, z).getFloat())
                    .isCloseTo((float) Math.log(10), org.assertj.core.api.Assertions.within(1e-5f));
            NDArray certain = z.oneHot(10).mul(100f);
            assertThat(NextTokenLoss.apply(certain, z).getFloat()).isLessThan(1e-6f);
        }
    }

    @Test
    void aTinyTrainingLearnsTwoPatternsAndSamplingWritesThem() {
        Seeds.seed(7);
        try (NDManager m = NDManager.newBaseManager()) {
            long[][] rows = new long[32][];
            long[] labels = new long[32];
            for (int i = 0; i < 32; i++) {
                labels[i] = i % 2;
                rows[i] = labels[i] == 0 ? UP : DOWN;
            }
            SampleSet set = SampleSet.of(m.create(rows), m.create(labels));
            TokenTransformer net =
                    TokenTransformer.builder()
                            .setCodes(10)
                            .optClasses(2)
                            .optLength(9)
                            .optDim(32)
                            .optLayers(2)
                            .optHeads(2)
                            .build();
            TokenTransformerTrainer trainer =
                    TokenTransformerTrainer.builder()
                            .setModel(net)
                            .setData(BatchSource.shuffled(set, 16, 7))
                            .setManager(m)
                            .optLearningRate(3e-3f)
                            .optUnconditionalProbability(0.1f)
                            .build();
            float first = 0;
            float last = 0;
            for (int step = 0; step < 120; step++) {
                Seeds.seed(Seeds.forStep(7, step));
                try (NDManager sub = m.newSubManager()) {
                    Losses losses = trainer.step(step, sub);
                    float nll = losses.toFloats().get("nll");
                    if (step == 0) {
                        first = nll;
                    }
                    last = nll;
                }
            }
            // ≈ log 10 = 2.3 at first; the unconditional 10 % keep it a little above 0
            assertThat(first).isGreaterThan(1.5f);
            assertThat(last).isLessThan(0.3f);

            ParameterStore ps = new ParameterStore(m, false);
            NDArray c = net.conditionTokens(m.create(new long[] {0, 1, 0, 1}));
            TokenSampler greedy = TokenSampler.builder().setModel(net).optTopK(1).build();
            NDArray tokens = greedy.sample(ps, c);
            assertThat(tokens.getShape()).isEqualTo(new Shape(4, 3, 3));
            long[] flat = tokens.toLongArray();
            for (int b = 0; b < 4; b++) {
                long[] expected = b % 2 == 0 ? UP : DOWN;
                for (int i = 0; i < 9; i++) {
                    assertThat(flat[b * 9 + i])
                            .as("sequence %d token %d", b, i)
                            .isEqualTo(expected[i]);
                }
            }
            // a sharp temperature with top-3 also writes the patterns
            Seeds.seed(11);
            NDArray drawn =
                    TokenSampler.builder()
                            .setModel(net)
                            .optTemperature(0.5f)
                            .optTopK(3)
                            .optGuidance(1.5f)
                            .build()
                            .sample(ps, c);
            assertThat(drawn.toLongArray()).isEqualTo(flat);
        }
    }

    @Test
    void anUnconditionalModelIgnoresLabelsAndLearnsItsOnePattern() {
        Seeds.seed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            long[][] rows = new long[16][];
            for (int i = 0; i < 16; i++) {
                rows[i] = DOWN;
            }
            // labels are present but an unconditional model (C = 0) never reads them
            SampleSet set =
                    SampleSet.of(
                            m.create(rows),
                            m.arange(0, 16, 1, ai.djl.ndarray.types.DataType.INT64));
            TokenTransformer net =
                    TokenTransformer.builder()
                            .setCodes(10)
                            .optLength(9)
                            .optDim(16)
                            .optLayers(1)
                            .optHeads(2)
                            .build();
            TokenTransformerTrainer trainer =
                    TokenTransformerTrainer.builder()
                            .setModel(net)
                            .setData(BatchSource.shuffled(set, 8, 3))
                            .setManager(m)
                            .optLearningRate(1e-2f)
                            .build();
            assertThat(trainer.config()).containsEntry("transformer.classes", "0");
            for (int step = 0; step < 60; step++) {
                Seeds.seed(Seeds.forStep(3, step));
                try (NDManager sub = m.newSubManager()) {
                    trainer.step(step, sub);
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z =
                    TokenSampler.builder()
                            .setModel(net)
                            .optTemperature(0f)
                            .build()
                            .sample(ps, net.nullTokens(m, 2));
            assertThat(z.get(0).toLongArray()).containsExactly(DOWN);
            assertThat(z.get(1).toLongArray()).containsExactly(DOWN);
        }
    }

    @Test
    void aCaptionModelLearnsWhichCaptionWritesWhichPattern() {
        Seeds.seed(8);
        try (NDManager m = NDManager.newBaseManager()) {
            // "up" = word 1, "down" = words 2 3; captions of L = 3, padded with 0
            long[][] rows = new long[32][];
            long[][] captions = new long[32][];
            for (int i = 0; i < 32; i++) {
                rows[i] = i % 2 == 0 ? UP : DOWN;
                captions[i] = i % 2 == 0 ? new long[] {1, 0, 0} : new long[] {2, 3, 0};
            }
            SampleSet set = SampleSet.of(m.create(rows), m.create(captions));
            TokenTransformer net =
                    TokenTransformer.builder()
                            .setCodes(10)
                            .optCaptions(4, 3)
                            .optLength(9)
                            .optDim(32)
                            .optLayers(2)
                            .optHeads(2)
                            .build();
            TokenTransformerTrainer trainer =
                    TokenTransformerTrainer.builder()
                            .setModel(net)
                            .setData(BatchSource.shuffled(set, 16, 8))
                            .setManager(m)
                            .optLearningRate(3e-3f)
                            .build();
            float last = 0;
            for (int step = 0; step < 120; step++) {
                Seeds.seed(Seeds.forStep(8, step));
                try (NDManager sub = m.newSubManager()) {
                    last = trainer.step(step, sub).toFloats().get("nll");
                }
            }
            assertThat(last).isLessThan(0.3f);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray c =
                    net.conditionTokens(m.create(new long[][] {{1, 0, 0}, {2, 3, 0}, {2, 3, 0}}));
            Seeds.seed(12);
            NDArray tokens =
                    TokenSampler.builder()
                            .setModel(net)
                            .optTemperature(0.5f)
                            .optTopK(3)
                            .optGuidance(2f)
                            .build()
                            .sample(ps, c);
            assertThat(tokens.get(0).toLongArray()).containsExactly(UP);
            assertThat(tokens.get(1).toLongArray()).containsExactly(DOWN);
            assertThat(tokens.get(2).toLongArray()).containsExactly(DOWN);
        }
    }
}
