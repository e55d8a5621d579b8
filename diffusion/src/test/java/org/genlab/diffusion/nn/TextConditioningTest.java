package org.genlab.diffusion.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DdpmLoss;
import org.junit.jupiter.api.Test;

/** Cross-attention and the text-conditional UNet, with a small real encoder block. */
class TextConditioningTest {

    /** ids → (a learned vector per word, mask = id > 0, masked mean). */
    static final class BagOfWords extends LazyBlock {
        private final Block table;

        BagOfWords(int vocab, int dim) {
            table = addChildBlock("table", Linear.builder().setUnits(dim).optBias(false).build());
            this.vocab = vocab;
        }

        private final int vocab;

        @Override
        protected DataType inputType(int i) {
            return DataType.INT64;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray ids = in.singletonOrThrow();
            NDArray tokens = Children.call(table, ps, training, ids.oneHot(vocab));
            NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false);
            NDArray sum = tokens.mul(mask.expandDims(2)).sum(new int[] {1});
            NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
            return new NDList(tokens, mask, sum.div(count));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] s) {
            return new Shape[] {s[0]};
        }
    }

    @Test
    void crossAttentionKeepsTheShapeAndNeverLooksAtPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(1);
            CrossAttention xa = new CrossAttention(16, 4, 4);
            Shape h = new Shape(2, 16, 4, 4);
            Shape c = new Shape(2, 5, 8);
            Shape k = new Shape(2, 5);
            xa.initialize(m, DataType.FLOAT32, h, c, k);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(h);
            NDArray ctx = m.randomNormal(c);
            // two words, then padding
            NDArray mask = m.create(new float[] {1, 1, 0, 0, 0, 1, 1, 1, 0, 0}).reshape(k);
            NDArray out = xa.forward(ps, new NDList(x, ctx, mask), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(h);
            // change what stands at the padding positions: nothing changes
            NDArray noise = m.randomNormal(c).mul(mask.sub(1f).neg().expandDims(2));
            NDArray out2 =
                    xa.forward(ps, new NDList(x, ctx.add(noise), mask), false).singletonOrThrow();
            assertThat(out2.sub(out).abs().max().getFloat()).isLessThan(1e-5f);
            // a visible word does change it
            NDArray out3 =
                    xa.forward(ps, new NDList(x, ctx.add(m.randomNormal(c)), mask), false)
                            .singletonOrThrow();
            assertThat(out3.sub(out).abs().max().getFloat()).isGreaterThan(1e-4f);
            // an empty caption (all padding) attends only to the null slot: finite
            NDArray none = m.zeros(k);
            NDArray out4 = xa.forward(ps, new NDList(x, ctx, none), false).singletonOrThrow();
            assertThat(out4.isNaN().any().getBoolean()).isFalse();
            NDArray out5 =
                    xa.forward(ps, new NDList(x, m.randomNormal(c), none), false)
                            .singletonOrThrow();
            assertThat(out5.sub(out4).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void aTextUNetReadsTokenIdsAndTrainsWithCaptionDropout() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(2);
            BagOfWords words = new BagOfWords(10, 8);
            UNet unet =
                    UNet.builder()
                            .setChannels(1)
                            .optBaseChannels(16)
                            .optChannelMultipliers(1, 2)
                            .optGroups(4)
                            .optTextEncoder(words, 6, false)
                            .build();
            unet.initialize(m, 8, 8);
            assertThat(unet.isTextConditional()).isTrue();
            // the frozen encoder's weights are not trained
            assertThat(words.getParameters().values()).allMatch(p -> !p.requiresGradient());
            NDArray x = m.randomNormal(new Shape(3, 1, 8, 8));
            NDArray t = m.create(new float[] {1, 50, 900});
            NDArray ids =
                    m.create(
                            new long[][] {
                                {3, 4, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}
                            });
            Denoiser d = Denoiser.of(unet, Prediction.EPSILON);
            NDArray eps = d.predict(x, t, ids);
            assertThat(eps.getShape()).isEqualTo(x.getShape());
            // no caption given = the empty caption
            NDArray none = d.predict(x, t, m.zeros(new Shape(3, 6), DataType.INT64));
            assertThat(d.predict(x, t, null).sub(none).abs().max().getFloat()).isLessThan(1e-5f);
            // the caption matters
            assertThat(eps.get(0).sub(none.get(0)).abs().max().getFloat()).isGreaterThan(1e-6f);

            // guidance: w = 1 is the conditional prediction, w = 0 the unconditional one
            NDArray w1 = ClassifierFreeGuidance.forCaptions(d, 1f).predict(x, t, ids);
            assertThat(w1.sub(eps).abs().max().getFloat()).isLessThan(1e-4f);
            NDArray w0 = ClassifierFreeGuidance.forCaptions(d, 0f).predict(x, t, ids);
            assertThat(w0.sub(none).abs().max().getFloat()).isLessThan(1e-4f);

            // caption dropout: each row is either kept whole or all zeros
            NDArray many = m.ones(new Shape(400, 6), DataType.INT64).mul(7);
            NDArray dropped = ClassifierFreeGuidance.dropCaptions(many, 0.25f);
            NDArray rowSums = dropped.sum(new int[] {1});
            long zeros = rowSums.eq(0).sum().getLong();
            long whole = rowSums.eq(42).sum().getLong();
            assertThat(zeros + whole).isEqualTo(400);
            assertThat(zeros / 400.0).isCloseTo(0.25, within(0.08));

            // the DDPM loss with captions runs and is finite
            DdpmLoss loss =
                    new DdpmLoss(
                            unet,
                            NoiseSchedule.linear(100).tensors(m),
                            Prediction.EPSILON,
                            0,
                            0.1f,
                            true);
            ParameterStore ps = new ParameterStore(m, false);
            float l = loss.forward(ps, x, ids).getFloat();
            assertThat(Float.isFinite(l)).isTrue();
        }
    }
}
