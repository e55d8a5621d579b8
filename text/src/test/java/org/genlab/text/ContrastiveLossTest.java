package org.genlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.genlab.text.clip.ContrastiveLoss;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    @Test
    void twoByTwoByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray i = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray t = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            // logits = I Tᵀ = identity; each row: −log(e / (e + 1)) = log(1 + 1/e)
            float expected = (float) Math.log(1 + Math.exp(-1));
            float loss = ContrastiveLoss.symmetric(i, t, m.create(1f)).getFloat();
            assertThat(loss).isCloseTo(expected, within(1e-6f));
            // cos 60°: I = (1, 0), (0, 1); T = (½, √3/2), (0, 1), s = 2
            NDArray t2 =
                    m.create(new float[] {0.5f, (float) Math.sqrt(0.75), 0, 1}, new Shape(2, 2));
            double l00 = 2 * 0.5;
            double l01 = 0;
            double l10 = 2 * Math.sqrt(0.75);
            double l11 = 2;
            double rows =
                    -(l00 - Math.log(Math.exp(l00) + Math.exp(l01)))
                            - (l11 - Math.log(Math.exp(l10) + Math.exp(l11)));
            double cols =
                    -(l00 - Math.log(Math.exp(l00) + Math.exp(l10)))
                            - (l11 - Math.log(Math.exp(l01) + Math.exp(l11)));
            float got = ContrastiveLoss.symmetric(i, t2, m.create(2f)).getFloat();
            assertThat(got).isCloseTo((float) ((rows + cols) / 4), within(1e-5f));
        }
    }

    @Test
    void alignedIsNearZeroAndShuffledIsLarge() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.eye(8);
            NDArray s = m.create(100f);
            assertThat(ContrastiveLoss.symmetric(e, e, s).getFloat()).isLessThan(1e-6f);
            NDArray shuffled = e.get(m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 0}));
            // every image's own caption is orthogonal, another is identical: ≈ s
            assertThat(ContrastiveLoss.symmetric(e, shuffled, s).getFloat())
                    .isCloseTo(100f, within(0.01f));
        }
    }

    @Test
    void equalCaptionsGiveThePapersLossAndClassTargetsMakeOtherCaptionsPositive() {
        try (NDManager m = NDManager.newBaseManager()) {
            // images 0 and 1 both carry caption "a seven" (same ids), image 2 "a two"
            NDArray ids = m.create(new long[] {1, 4, 0, 1, 4, 0, 1, 7, 0}, new Shape(3, 3));
            NDArray y = ContrastiveLoss.targets(ids);
            assertThat(y.toFloatArray()).containsExactly(0.5f, 0.5f, 0, 0.5f, 0.5f, 0, 0, 0, 1f);
            // identical ids give identical text embeddings (rows 0 and 1 of T); images differ
            NDArray img = m.create(new float[] {1, 0, 0.8f, 0.6f, 0, 1}, new Shape(3, 2));
            NDArray txt = m.create(new float[] {0.6f, 0.8f, 0.6f, 0.8f, 0, 1}, new Shape(3, 2));
            NDArray s = m.create(10f);
            // the paper's loss and the equal-caption soft targets agree exactly, value and gradient
            float hard = ContrastiveLoss.symmetric(img, txt, s).getFloat();
            float soft = ContrastiveLoss.symmetric(img, txt, s, y).getFloat();
            assertThat(soft).isCloseTo(hard, within(1e-5f));
            // with both sevens on their caption the rows keep a floor of log 2 (2 of 3 rows)
            NDArray on = m.create(new float[] {0.6f, 0.8f, 0.6f, 0.8f, 0, 1}, new Shape(3, 2));
            assertThat(ContrastiveLoss.symmetric(on, txt, m.create(100f)).getFloat())
                    .isCloseTo((float) (2 * Math.log(2) / 3), within(1e-3f));

            // different captions of one class ("a 7", "the digit seven"): the paper's loss prefers
            // them split apart (B); class targets prefer the sevens together (A), at the floor
            NDArray a = m.create(new float[] {1, 0, 1, 0, 0, 1}, new Shape(3, 2));
            NDArray b = m.create(new float[] {1, 0, 0.8f, 0.6f, 0, 1}, new Shape(3, 2));
            NDArray yc = ContrastiveLoss.targets(m.create(new long[] {7, 7, 2}));
            assertThat(yc.toFloatArray()).containsExactly(y.toFloatArray());
            NDArray big = m.create(100f);
            float floor = (float) (2 * Math.log(2) / 3);
            assertThat(ContrastiveLoss.symmetric(a, a, big).getFloat())
                    .isCloseTo(floor, within(1e-3f));
            assertThat(ContrastiveLoss.symmetric(b, b, big).getFloat()).isLessThan(1e-3f);
            assertThat(ContrastiveLoss.symmetric(a, a, big, yc).getFloat())
                    .isCloseTo(floor, within(1e-3f));
            assertThat(ContrastiveLoss.symmetric(b, b, big, yc).getFloat()).isGreaterThan(3f);
        }
    }
}
