package org.genlab.gan.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.assertj.core.data.Offset;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each loss against a hand computation on r = (2, −1) and f = (0.5, −3). */
class GanLossTest {

    private static final Offset<Float> TOL = Offset.offset(1e-5f);
    private static final double[] R = {2, -1};
    private static final double[] F = {0.5, -3};

    private NDManager m;
    private NDArray real;
    private NDArray fake;

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
        real = m.create(new float[] {2f, -1f}, new Shape(2, 1));
        fake = m.create(new float[] {0.5f, -3f}, new Shape(2, 1));
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private static double mean(java.util.function.DoubleUnaryOperator f, double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += f.applyAsDouble(x);
        }
        return s / xs.length;
    }

    @Test
    void minimax() {
        GanLoss l = GanLoss.minimax();
        double d = mean(r -> -Math.log(sigmoid(r)), R) + mean(f -> -Math.log(1 - sigmoid(f)), F);
        double g = mean(f -> Math.log(1 - sigmoid(f)), F);
        assertThat(l.discriminatorLoss(real, fake).getFloat()).isCloseTo((float) d, TOL);
        assertThat(l.generatorLoss(null, fake).getFloat()).isCloseTo((float) g, TOL);
        assertThat(l.gradientPenaltyWeight()).isZero();
    }

    @Test
    void nonSaturating() {
        GanLoss l = GanLoss.nonSaturating();
        double d = mean(r -> -Math.log(sigmoid(r)), R) + mean(f -> -Math.log(1 - sigmoid(f)), F);
        double g = mean(f -> -Math.log(sigmoid(f)), F);
        assertThat(l.discriminatorLoss(real, fake).getFloat()).isCloseTo((float) d, TOL);
        assertThat(l.generatorLoss(null, fake).getFloat()).isCloseTo((float) g, TOL);
        // (2.126928 by hand: -log σ(0.5) = 0.474077, -log σ(-3) = 3.048587 → mean 1.761332)
        assertThat(l.generatorLoss(null, fake).getFloat())
                .isCloseTo(1.761332f, Offset.offset(1e-4f));
    }

    @Test
    void hinge() {
        GanLoss l = GanLoss.hinge();
        // relu(1-2)=0, relu(1+1)=2 → 1 ; relu(1+0.5)=1.5, relu(1-3)=0 → 0.75
        assertThat(l.discriminatorLoss(real, fake).getFloat()).isCloseTo(1.75f, TOL);
        assertThat(l.generatorLoss(null, fake).getFloat()).isCloseTo(1.25f, TOL);
    }

    @Test
    void leastSquares() {
        GanLoss l = GanLoss.leastSquares();
        // real: ((1)^2 + (-2)^2)/2 = 2.5 ; fake: (0.25 + 9)/2 = 4.625 ; D = 0.5 (2.5 + 4.625)
        assertThat(l.discriminatorLoss(real, fake).getFloat()).isCloseTo(3.5625f, TOL);
        // G: 0.5 * ((−0.5)^2 + (−4)^2)/2 = 0.5 * 8.125 = 4.0625
        assertThat(l.generatorLoss(null, fake).getFloat()).isCloseTo(4.0625f, TOL);
    }

    @Test
    void wasserstein() {
        GanLoss l = GanLoss.wganGp(10f);
        // mean f − mean r = −1.25 − 0.5
        assertThat(l.discriminatorLoss(real, fake).getFloat()).isCloseTo(-1.75f, TOL);
        assertThat(l.generatorLoss(null, fake).getFloat()).isCloseTo(1.25f, TOL);
        assertThat(l.gradientPenaltyWeight()).isEqualTo(10f);
        assertThat(l.defaultCriticSteps()).isEqualTo(5);
    }

    @Test
    void relativisticAverage() {
        GanLoss l = GanLoss.relativistic();
        double rBar = (R[0] + R[1]) / 2;
        double fBar = (F[0] + F[1]) / 2;
        // −log σ(a) = log(1 + e^−a), −log(1 − σ(a)) = log(1 + e^a)
        double d =
                mean(r -> -Math.log(sigmoid(r - fBar)), R)
                        + mean(f -> -Math.log(1 - sigmoid(f - rBar)), F);
        double g =
                mean(f -> -Math.log(sigmoid(f - rBar)), F)
                        + mean(r -> -Math.log(1 - sigmoid(r - fBar)), R);
        assertThat(l.discriminatorLoss(real, fake).getFloat()).isCloseTo((float) d, TOL);
        assertThat(l.generatorLoss(real, fake).getFloat()).isCloseTo((float) g, TOL);
        assertThat(l.generatorUsesReal()).isTrue();
    }

    @Test
    void onlyRelativisticLossesAskForRealLogitsInTheGeneratorStep() {
        for (String n : new String[] {"minimax", "nonsat", "hinge", "lsgan", "wgan-gp"}) {
            GanLoss l = GanLoss.byName(n);
            assertThat(l.generatorUsesReal()).as(n).isFalse();
            // they ignore the real logits: null (what the G step passes them) changes nothing
            assertThat(l.generatorLoss(real, fake).getFloat())
                    .as(n)
                    .isEqualTo(l.generatorLoss(null, fake).getFloat());
        }
    }

    @Test
    void byNameKnowsEveryLossAndRejectsOthers() {
        for (String n : new String[] {"minimax", "nonsat", "hinge", "lsgan", "wgan-gp", "ragan"}) {
            assertThat(GanLoss.byName(n).name()).isEqualTo(n);
        }
        assertThatThrownBy(() -> GanLoss.byName("wasserstein"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Choose one of");
    }
}
