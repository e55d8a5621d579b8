package org.genlab.gan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.gan.loss.GanLoss;
import org.junit.jupiter.api.Test;

/** The collapse watch on loss sequences: the logs of measured runs, and edge cases. */
class CollapseWatchTest {

    /** One log: D, G, D(x), D(G(z)), D acc. */
    private static Map<String, Float> log(float d, float g, float dx, float dgz, float acc) {
        Map<String, Float> m = new LinkedHashMap<>();
        m.put("D", d);
        m.put("G", g);
        m.put("D(x)", dx);
        m.put("D(G(z))", dgz);
        m.put("D acc", acc);
        return m;
    }

    private static Map<String, Float> d(float lossD) {
        return log(lossD, 1f, 0.5f, 0.5f, 0.5f);
    }

    private static CollapseWatch watch(GanLoss loss, PrintStream out) {
        return CollapseWatch.builder().setLoss(loss).optLog(out).build();
    }

    private static CollapseWatch watch(GanLoss loss) {
        return watch(loss, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void theLrOneCollapseWarnsOnceAfterAHundredSteps() {
        // DCGAN, MNIST, batch 64, --lr 1, non-saturating loss: every log from step 25 reads so
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CollapseWatch w = watch(GanLoss.nonSaturating(), new PrintStream(bytes, true));
        for (long step = 25; step <= 1000; step += 25) {
            w.onLog(step, log(0f, 456.4f, 1f, 0f, 1f));
            assertThat(w.fired()).isEqualTo(step >= 100);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split("Warning", -1)).hasSize(2); // printed once
        assertThat(out)
                .contains("from step 25 to 100")
                .contains("D 0.0000")
                .contains("D acc 1.0000")
                .contains("--lr")
                .contains("--spectral-norm")
                .contains("--loss hinge")
                .doesNotContain("--n-critic");
    }

    @Test
    void theLrPointTwoCollapseWarnsToo() {
        // non-saturating at lr 0.2: D 7.7e-8 and G frozen at 16.37 for all 300 steps
        CollapseWatch w = watch(GanLoss.nonSaturating());
        for (long step = 25; step <= 300; step += 25) {
            w.check(step, log(7.7e-8f, 16.37f, 1f, 7.7e-8f, 1f));
        }
        assertThat(w.fired()).isTrue();
    }

    @Test
    void minimaxSaturatingByItselfStaysSilent() {
        // minimax at lr 2e-4 (DCGAN, MNIST, batch 64), logs from step 575 to 925: D sits near 10⁻³
        // of chance for 300 steps, then G breaks free (and draws digits by step 1200)
        float[] lossD = {
            0.001665f, 0.001551f, 0.001838f, 0.001921f, 0.002209f, 0.001171f, 0.001534f, 0.001475f,
            0.001409f, 0.001488f, 0.001591f, 0.002051f, 0.001176f, 0.001351f, 1.173f, 0.7204f
        };
        CollapseWatch w = watch(GanLoss.minimax());
        for (int i = 0; i < lossD.length; i++) {
            w.check(575 + 25L * i, log(lossD[i], -0.001f, 0.999f, 0.0007f, 1f));
        }
        assertThat(w.fired()).isFalse();
    }

    @Test
    void checkReturnsTrueOnlyAtTheLogThatFires() {
        CollapseWatch w = watch(GanLoss.hinge());
        int fires = 0;
        for (long step = 10; step <= 500; step += 10) {
            fires += w.check(step, log(0f, 679.5f, 1f, 0f, 1f)) ? 1 : 0;
        }
        assertThat(fires).isEqualTo(1);
        assertThat(w.warning()).contains("from step 10 to 100").contains("hinge");
    }

    @Test
    void healthyRunsStaySilent() {
        // logs of a healthy DCGAN on MNIST, lr 2e-4 (non-saturating), incl. D's strongest phase
        float[][] nonsat = {
            {0.5543f, 1.573f, 0.8081f, 0.2668f, 0.9609f},
            {0.2617f, 2.223f, 0.8722f, 0.1122f, 1f},
            {0.1914f, 3.603f, 0.9490f, 0.1243f, 1f},
            {1.292f, 0.8775f, 0.3115f, 0.004914f, 0.5625f},
            {0.4651f, 2.894f, 0.9099f, 0.2916f, 0.9531f},
            {0.4643f, 1.574f, 0.7656f, 0.1450f, 0.9531f},
            {0.4149f, 2.365f, 0.8710f, 0.2279f, 0.9844f},
            {0.4426f, 1.869f, 0.7730f, 0.1458f, 0.9609f},
            {0.6117f, 1.173f, 0.6312f, 0.1013f, 0.8984f},
        };
        CollapseWatch w = watch(GanLoss.nonSaturating());
        for (int i = 0; i < 40; i++) {
            float[] v = nonsat[i % nonsat.length];
            w.onLog(25L * (i + 1), log(v[0], v[1], v[2], v[3], v[4]));
        }
        assertThat(w.fired()).isFalse();
        assertThat(w.warning()).isNull();
    }

    @Test
    void aBrokenStreakStartsOver() {
        CollapseWatch w = watch(GanLoss.nonSaturating());
        w.check(25, d(0f));
        w.check(50, d(0f));
        w.check(75, d(0f));
        w.check(100, d(0.3f)); // G came back
        for (long step = 125; step < 200; step += 25) {
            assertThat(w.check(step, d(0f))).isFalse();
        }
        assertThat(w.check(200, d(0f))).isTrue(); // 100 steps after the last healthy log
    }

    @Test
    void theFloorScalesWithTheLoss() {
        // 10⁻⁵ of D's loss at logits 0: 2 ln 2 (BCE, RaGAN), 2 (hinge), ½ (LSGAN)
        Object[][] cases = {
            {GanLoss.nonSaturating(), 1.3e-5f, 1.5e-5f},
            {GanLoss.minimax(), 1.3e-5f, 1.5e-5f},
            {GanLoss.relativistic(), 1.3e-5f, 1.5e-5f},
            {GanLoss.hinge(), 1.9e-5f, 2.1e-5f},
            {GanLoss.leastSquares(), 0.45e-5f, 0.55e-5f},
        };
        for (Object[] c : cases) {
            CollapseWatch at = watch((GanLoss) c[0]);
            CollapseWatch above = watch((GanLoss) c[0]);
            for (long step = 25; step <= 150; step += 25) {
                at.check(step, d((float) c[1]));
                above.check(step, d((float) c[2]));
            }
            assertThat(at.fired()).as("%s at its floor", c[0]).isTrue();
            assertThat(above.fired()).as("%s above its floor", c[0]).isFalse();
        }
    }

    @Test
    void wganGpHasNoFloor() {
        // WGAN-GP's critic loss E[f] − E[r] has no floor; at --lr 1 it explodes (GP 5.9e6 at step
        // 25), which the training loop's divergence check stops
        CollapseWatch w = watch(GanLoss.wganGp(10f));
        float[] lossD = {-2853f, 893.8f, -1117f, 0f, 0f, 0f, 0f, -0.001f};
        for (int i = 0; i < lossD.length; i++) {
            w.check(25L * (i + 1), log(lossD[i], -1.6e5f, 1f, 1f, 0.5f));
        }
        assertThat(w.fired()).isFalse();
    }

    @Test
    void aResumedRunWaitsAFullWindowFromItsFirstLog() {
        CollapseWatch w = watch(GanLoss.nonSaturating());
        for (long step = 5025; step < 5125; step += 25) {
            assertThat(w.check(step, d(0f))).isFalse();
        }
        assertThat(w.check(5125, d(0f))).isTrue();
    }

    @Test
    void logsEveryStepStillNeedAHundredSteps() {
        CollapseWatch w = watch(GanLoss.nonSaturating());
        for (long step = 1; step < 100; step++) {
            assertThat(w.check(step, d(0f))).isFalse();
        }
        assertThat(w.check(100, d(0f))).isTrue();
    }

    @Test
    void suggestsFewerCriticStepsOnlyWhenThereAreSeveral() {
        CollapseWatch w =
                CollapseWatch.builder()
                        .setLoss(GanLoss.hinge())
                        .optCriticSteps(3)
                        .optWindow(50, 2)
                        .optLog(new PrintStream(new ByteArrayOutputStream()))
                        .build();
        w.check(25, d(0f));
        assertThat(w.check(50, d(0f))).isTrue();
        assertThat(w.warning()).contains("--n-critic, now 3");
    }

    @Test
    void minimaxIsToldOfTheNonSaturatingLoss() {
        CollapseWatch w = watch(GanLoss.minimax());
        for (long step = 600; step <= 700; step += 25) {
            w.check(step, log(0f, -0f, 1f, 0f, 1f)); // minimax at lr 1
        }
        assertThat(w.warning()).contains("--loss nonsat").doesNotContain("--loss hinge");
    }

    @Test
    void aLogWithoutDIsIgnored() {
        CollapseWatch w = watch(GanLoss.nonSaturating());
        for (long step = 25; step <= 500; step += 25) {
            w.check(step, Map.of("mse", 0f));
        }
        assertThat(w.fired()).isFalse();
    }
}
