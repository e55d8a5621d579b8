package org.genlab.autoregressive;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.genlab.autoregressive.nn.CausalSelfAttention;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.junit.jupiter.api.Test;

/** The causal mask: a position never sees a later one. */
class CausalSelfAttentionTest {

    @Test
    void changingALaterTokenLeavesEarlierLogitsUnchanged() {
        Seeds.seed(1);
        try (NDManager m = NDManager.newBaseManager();
                NoGrad scope = NoGrad.enter()) {
            TokenTransformer net =
                    TokenTransformer.builder()
                            .setCodes(16)
                            .optClasses(3)
                            .optLength(10)
                            .optDim(32)
                            .optLayers(2)
                            .optHeads(4)
                            .build()
                            .initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            long[] a = {16, 3, 7, 1, 0, 15, 2, 9, 4, 4};
            long[] b = a.clone();
            b[6] = 11; // change position 6 only
            NDArray ids = m.create(new long[][] {a, b});
            NDArray logits = net.logits(ps, ids, false);
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 10, 16));
            NDArray first = logits.get(0);
            NDArray second = logits.get(1);
            // positions 0..5 are identical, 6.. differ
            float before =
                    first.get(new NDIndex("0:6"))
                            .sub(second.get(new NDIndex("0:6")))
                            .abs()
                            .max()
                            .getFloat();
            float after =
                    first.get(new NDIndex("6:"))
                            .sub(second.get(new NDIndex("6:")))
                            .abs()
                            .max()
                            .getFloat();
            assertThat(before).isZero();
            assertThat(after).isGreaterThan(1e-4f);
        }
    }

    @Test
    void attentionOutputOfAPrefixIsThePrefixOfTheOutput() {
        Seeds.seed(2);
        try (NDManager m = NDManager.newBaseManager();
                NoGrad scope = NoGrad.enter()) {
            CausalSelfAttention att = new CausalSelfAttention(8, 2);
            att.initialize(m, DataType.FLOAT32, new Shape(1, 5, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 8));
            NDArray full = att.forward(ps, new ai.djl.ndarray.NDList(x), false).singletonOrThrow();
            NDArray prefix =
                    att.forward(ps, new ai.djl.ndarray.NDList(x.get(new NDIndex(":, 0:3"))), false)
                            .singletonOrThrow();
            float diff = full.get(new NDIndex(":, 0:3")).sub(prefix).abs().max().getFloat();
            assertThat(diff).isLessThan(1e-5f);
        }
    }
}
