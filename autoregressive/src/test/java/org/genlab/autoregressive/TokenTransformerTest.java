package org.genlab.autoregressive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.genlab.autoregressive.nn.KvCache;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

/** Shapes, inputs, the KV cache against the full pass, and errors. */
class TokenTransformerTest {

    private static TokenTransformer tiny(NDManager m) {
        return TokenTransformer.builder()
                .setCodes(12)
                .optClasses(2)
                .optLength(9)
                .optDim(32)
                .optLayers(2)
                .optHeads(4)
                .build()
                .initialize(m);
    }

    private static TokenTransformer captioned(NDManager m) {
        return TokenTransformer.builder()
                .setCodes(12)
                .optCaptions(6, 4)
                .optLength(9)
                .optDim(32)
                .optLayers(2)
                .optHeads(4)
                .build()
                .initialize(m);
    }

    @Test
    void withACaptionPrefixImageLogitsSeeOnlyTheCaptionAndEarlierTokens() {
        Seeds.seed(6);
        try (NDManager m = NDManager.newBaseManager();
                NoGrad scope = NoGrad.enter()) {
            TokenTransformer net = captioned(m);
            assertThat(net.prefixLength()).isEqualTo(4);
            assertThat(net.positions()).isEqualTo(12);
            assertThat(net.vocabularySize()).isEqualTo(18);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray words = m.create(new long[][] {{1, 2, 0, 0}, {3, 4, 5, 0}});
            NDArray c = net.conditionTokens(words);
            assertThat(c.toLongArray()).containsExactly(13, 14, 12, 12, 15, 16, 17, 12);
            NDArray z = m.randomInteger(0, 12, new Shape(2, 9), DataType.INT64);
            NDArray ids = TokenTransformer.inputs(c, z);
            assertThat(ids.getShape()).isEqualTo(new Shape(2, 12));
            NDArray full = net.imageLogits(ps, ids, false);
            assertThat(full.getShape()).isEqualTo(new Shape(2, 9, 12));

            // change image token z₆: the logits of z₀ … z₆ stay, z₇'s change
            NDArray z2 = z.duplicate();
            z2.set(new NDIndex(":, 6"), z.get(new NDIndex(":, 6")).add(1).mod(12));
            NDArray changed = net.imageLogits(ps, TokenTransformer.inputs(c, z2), false);
            assertThat(maxDiff(full, changed, "0:7")).isLessThan(1e-5f);
            assertThat(maxDiff(full, changed, "7:8")).isGreaterThan(1e-4f);

            // change a caption word: every image logit moves
            NDArray w2 = m.create(new long[][] {{1, 5, 0, 0}, {3, 4, 5, 0}});
            NDArray other =
                    net.imageLogits(ps, TokenTransformer.inputs(net.conditionTokens(w2), z), false);
            NDArray rowDiff = other.sub(full).get(new NDIndex("0")).abs().max(new int[] {1});
            assertThat(rowDiff.min().getFloat()).isGreaterThan(1e-5f);
            assertThat(other.sub(full).get(new NDIndex("1")).abs().max().getFloat())
                    .isLessThan(1e-5f);

            // the KV cache: the caption at once, then one token per pass
            NDArray all = net.logits(ps, ids, false);
            NDList steps = new NDList();
            try (KvCache cache = net.newCache(m)) {
                steps.add(net.step(ps, cache, ids.get(new NDIndex(":, 0:4"))));
                for (int i = 4; i < 12; i++) {
                    steps.add(net.step(ps, cache, ids.get(new NDIndex(":, {}", i))));
                }
            }
            NDArray cached = ai.djl.ndarray.NDArrays.concat(steps, 1);
            assertThat(cached.sub(all).abs().max().getFloat()).isLessThan(1e-4f);

            // the null prefix is the all-PAD caption
            assertThat(net.nullTokens(m, 2).toLongArray()).containsOnly(12L).hasSize(8);
            assertThatThrownBy(() -> net.conditionTokens(m.create(new long[] {1, 2})))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("(B, 4)");
        }
    }

    @Test
    void aCaptionModelRebuildsFromItsConfigAndRefusesClassesToo() {
        TokenTransformer net =
                TokenTransformer.builder()
                        .setCodes(12)
                        .optCaptions(6, 4)
                        .optLength(9)
                        .optDim(32)
                        .optLayers(2)
                        .optHeads(4)
                        .build();
        java.util.Map<String, String> config = net.toConfig();
        assertThat(config)
                .containsEntry("transformer.captionVocabulary", "6")
                .containsEntry("transformer.captionLength", "4");
        TokenTransformer back = TokenTransformer.fromConfig(config);
        assertThat(back.toConfig()).isEqualTo(config);
        assertThat(back.readsCaptions()).isTrue();
        assertThat(back.toString()).isEqualTo(net.toString()).contains("V=6, L=4");
        // a config written before captions existed reads as a one-token prefix
        java.util.Map<String, String> old =
                new java.util.HashMap<>(
                        TokenTransformer.builder().setCodes(12).optClasses(2).build().toConfig());
        old.remove("transformer.captionVocabulary");
        old.remove("transformer.captionLength");
        assertThat(TokenTransformer.fromConfig(old).prefixLength()).isEqualTo(1);
        assertThatThrownBy(
                        () ->
                                TokenTransformer.builder()
                                        .setCodes(12)
                                        .optClasses(2)
                                        .optCaptions(6, 4)
                                        .build())
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("either classes or captions");
    }

    private static float maxDiff(NDArray a, NDArray b, String rows) {
        NDIndex i = new NDIndex(":, " + rows);
        return a.get(i).sub(b.get(i)).abs().max().getFloat();
    }

    @Test
    void theCacheGivesTheSameLogitsAsTheFullPass() {
        Seeds.seed(3);
        try (NDManager m = NDManager.newBaseManager();
                NoGrad scope = NoGrad.enter()) {
            TokenTransformer net = tiny(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z =
                    m.randomInteger(0, 12, new Shape(3, 9), ai.djl.ndarray.types.DataType.INT64);
            NDArray c = net.conditionTokens(m.create(new long[] {0, 1, 1}));
            NDArray ids = TokenTransformer.inputs(c, z);
            assertThat(ids.getShape()).isEqualTo(new Shape(3, 9));
            assertThat(ids.get(new NDIndex(":, 0")).toLongArray()).containsExactly(12, 13, 13);
            NDArray full = net.logits(ps, ids, false);
            NDList steps = new NDList();
            try (KvCache cache = net.newCache(m)) {
                // a prefix of 2 at once, then one token per pass
                steps.add(net.step(ps, cache, ids.get(new NDIndex(":, 0:2"))));
                for (int i = 2; i < 9; i++) {
                    steps.add(net.step(ps, cache, ids.get(new NDIndex(":, {}", i))));
                }
                assertThat(cache.length()).isEqualTo(9);
                // the sequence is full
                assertThatThrownBy(() -> net.step(ps, cache, ids.get(new NDIndex(":, 0"))))
                        .isInstanceOf(GenLabException.class)
                        .hasMessageContaining("at most 9");
            }
            NDArray cached = ai.djl.ndarray.NDArrays.concat(steps, 1);
            assertThat(cached.getShape()).isEqualTo(new Shape(3, 9, 12));
            assertThat(cached.sub(full).abs().max().getFloat()).isLessThan(1e-4f);
        }
    }

    @Test
    void builderAndConditionsExplainWhatIsWrong() {
        assertThatThrownBy(() -> TokenTransformer.builder().build())
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("setCodes");
        assertThatThrownBy(
                        () -> TokenTransformer.builder().setCodes(8).optDim(30).optHeads(4).build())
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("multiple of heads");
        try (NDManager m = NDManager.newBaseManager()) {
            TokenTransformer uncond =
                    TokenTransformer.builder()
                            .setCodes(8)
                            .optLength(4)
                            .optDim(16)
                            .optLayers(1)
                            .build();
            assertThat(uncond.vocabularySize()).isEqualTo(9);
            assertThat(uncond.nullTokens(m, 2).toLongArray()).containsExactly(8, 8);
            assertThatThrownBy(() -> uncond.conditionTokens(m.create(new long[] {1})))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("unconditional");
        }
    }

    @Test
    void aCheckpointRebuildsTheSameNetworkFromItsConfig(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        Seeds.seed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            TokenTransformer net = tiny(m);
            org.genlab.autoregressive.train.TokenTransformerTrainer trainer =
                    org.genlab.autoregressive.train.TokenTransformerTrainer.builder()
                            .setModel(net)
                            .setData(
                                    (mm, i) ->
                                            new org.genlab.core.data.Batch(
                                                    mm.randomInteger(
                                                            0,
                                                            12,
                                                            new Shape(4, 9),
                                                            ai.djl.ndarray.types.DataType.INT64),
                                                    mm.create(new long[] {0, 1, 0, 1})))
                            .setManager(m)
                            .build();
            try (NDManager sub = m.newSubManager()) {
                trainer.step(0, sub);
            }
            java.nio.file.Path file = tmp.resolve("checkpoint.zip");
            org.genlab.core.checkpoint.Checkpoint.save(
                    file,
                    trainer.state(),
                    1,
                    4,
                    trainer.config(),
                    new org.genlab.core.train.LossHistory());
            TokenTransformer back = TokenTransformer.fromConfig(trainer.config()).initialize(m);
            org.genlab.core.checkpoint.Checkpoint.loadNetwork(
                    file, TokenTransformer.MODEL, TokenTransformer.NETWORK, back, true);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray ids =
                    TokenTransformer.inputs(
                            net.conditionTokens(m.create(new long[] {1})),
                            m.arange(0, 9, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, 9));
            try (NoGrad scope = NoGrad.enter()) {
                float diff =
                        net.logits(ps, ids, false)
                                .sub(back.logits(ps, ids, false))
                                .abs()
                                .max()
                                .getFloat();
                assertThat(diff).isZero();
            }
            assertThatThrownBy(() -> TokenTransformer.fromConfig(java.util.Map.of()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("transformer.codes");
        }
    }
}
