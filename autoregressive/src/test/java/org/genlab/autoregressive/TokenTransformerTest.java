package org.genlab.autoregressive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
