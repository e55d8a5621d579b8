package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.train.TrainingListener;
import org.genlab.gan.loss.GanLoss;

/**
 * Notices a discriminator that has won outright — the failure of a GAN trained with too high a
 * learning rate — and says so once, with the usual cures. The first large steps push D's logits to
 * ±tens or hundreds and leave G's units saturated or dead: D's loss sits at its floor, G's loss
 * freezes, and the samples stop changing (blank or frozen grids). Nothing in the numbers is NaN or
 * large, so {@link org.genlab.core.train.TrainingLoop}'s divergence check cannot see it.
 *
 * <p>The test, at every logged step: D's loss is at its floor, measured against the loss's value
 * when D cannot tell (all logits 0),
 *
 * <pre>
 *   L_D ≤ 10⁻⁵ · L_D(0, 0)
 * </pre>
 *
 * and this has held at every log for at least {@link Builder#optWindow 100 steps} (and three logs).
 * L_D(0, 0) is 2 ln 2 for minimax, non-saturating and RaGAN, 2 for hinge, ½ for LSGAN (for BCE the
 * threshold means logit margins of about 11.5 on every sample). It is 0 for WGAN-GP, whose critic
 * cannot win outright (it is held 1-Lipschitz), so the watch stays silent there — WGAN-GP's failure
 * at a high learning rate is an explosion (GP 5.9·10⁶ at step 25 with lr 1), which the divergence
 * check stops.
 *
 * <p>The numbers behind the threshold, DCGAN (width 32) on MNIST, batch 64, logged every 25 steps:
 * at lr 1 minimax, non-saturating, hinge and RaGAN log L_D = 0 exactly from step 25 on, and at lr
 * 0.2 non-saturating logs 7.7·10⁻⁸ (5.6·10⁻⁸ of chance, G frozen at 16.37) and hinge 0, for all 300
 * steps. Healthy runs at lr 2e-4 stay far above: over 300 steps the lowest logged L_D is 0.19
 * (non-saturating), 0.066 (hinge), 0.035 (LSGAN), 0.041 (RaGAN). Minimax saturates by itself — L_D
 * 0.0012–0.0022 (≈ 10⁻³ of chance) from step 575 to 900 — and then recovers (L_D 0.6–0.9 from step
 * 925, digits by step 1200), so it must not fire there: the threshold sits two decades below that
 * plateau and two above the collapse at lr 0.2. At lr 0.01 and 0.05 the game is noisy but D does
 * not win (L_D 1–4).
 *
 * <p>The watch reads the values the training loop has already copied to the host ({@link #onLog}):
 * it adds no device sync. Add it to the loop:
 *
 * <pre>{@code
 * TrainingLoop.builder().setTask(gan).addListener(gan.collapseWatch())...
 * }</pre>
 */
public final class CollapseWatch implements TrainingListener {

    /** L_D counts as at its floor below this fraction of L_D(0, 0). */
    static final float FLOOR = 1e-5f;

    private final float chance;
    private final String lossName;
    private final int criticSteps;
    private final long window;
    private final int minChecks;
    private final PrintStream log;

    private long streakStart = -1; // the last logged step D had not won
    private long firstWon;
    private int streakChecks;
    private String warning;

    private CollapseWatch(Builder b, float chance) {
        this.chance = chance;
        this.lossName = b.loss.name();
        this.criticSteps = b.criticSteps;
        this.window = b.window;
        this.minChecks = b.minChecks;
        this.log = b.log;
    }

    /**
     * Creates a builder.
     *
     * @return a builder: window 100 steps, 3 logs, printing to {@code System.out}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Looks at one log. Returns true once: at the log where D has won outright for the whole
     * window; {@link #warning()} then holds the message.
     *
     * @param step the steps completed
     * @param losses the logged values, with {@code D} (D's loss; {@code D(x)}, {@code D(G(z))} and
     *     {@code D acc} are quoted in the message when present)
     * @return true the first time the window is full, false otherwise
     */
    public boolean check(long step, Map<String, Float> losses) {
        Float lossD = losses.get("D");
        boolean won = chance > 0 && lossD != null && lossD <= FLOOR * chance;
        if (streakStart < 0) {
            // a fresh run started at step 0; a resumed one somewhere before its first log
            streakStart = step <= window ? 0 : step;
        }
        if (!won) {
            streakStart = step;
            streakChecks = 0;
            return false;
        }
        if (streakChecks++ == 0) {
            firstWon = step;
        }
        if (warning != null || step - streakStart < window || streakChecks < minChecks) {
            return false;
        }
        warning = message(step, losses);
        return true;
    }

    /** Prints the warning the first time {@link #check} sees a won game. */
    @Override
    public void onLog(long step, Map<String, Float> losses) {
        if (check(step, losses)) {
            log.println(warning);
            log.flush();
        }
    }

    /**
     * Tells whether the watch has fired.
     *
     * @return true once D has won outright for a window
     */
    public boolean fired() {
        return warning != null;
    }

    /**
     * Returns the warning, once fired.
     *
     * @return the message, or null
     */
    public String warning() {
        return warning;
    }

    private String message(long step, Map<String, Float> losses) {
        StringBuilder seen = new StringBuilder();
        for (String k : new String[] {"D", "G", "D(x)", "D(G(z))", "D acc"}) {
            Float v = losses.get(k);
            if (v != null) {
                seen.append(seen.length() == 0 ? "" : ", ")
                        .append(k)
                        .append(String.format(Locale.ROOT, " %.4f", v));
            }
        }
        StringBuilder cures = new StringBuilder("a lower learning rate (--lr, e.g. 2e-4)");
        cures.append(", spectral normalisation in D (--spectral-norm)");
        cures.append(
                "minimax".equals(lossName)
                        ? ", the non-saturating loss (--loss nonsat), made for exactly this"
                        : ", the hinge loss (--loss hinge)");
        if (criticSteps > 1) {
            cures.append(", fewer D updates per G update (--n-critic, now ")
                    .append(criticSteps)
                    .append(')');
        }
        return String.format(
                Locale.ROOT,
                "Warning: the discriminator has won outright at every log from step %d to %d (now"
                        + " %s). D's %s loss is at its floor, G gets almost no signal through D's"
                        + " saturated outputs, and the samples stop improving (blank or frozen"
                        + " grids); such a run rarely recovers. Usual cures: %s.",
                firstWon,
                step,
                seen,
                lossName,
                cures);
    }

    /** Builds a {@link CollapseWatch}. */
    public static final class Builder {
        private GanLoss loss;
        private int criticSteps = 1;
        private long window = 100;
        private int minChecks = 3;
        private PrintStream log = System.out;

        Builder() {}

        /**
         * Sets the loss the GAN trains with: its D half, at logits 0, gives the scale of the floor.
         *
         * @param loss the loss
         * @return this builder
         */
        public Builder setLoss(GanLoss loss) {
            this.loss = loss;
            return this;
        }

        /**
         * Sets n_critic, the D updates per G update, so that the message can suggest fewer.
         *
         * @param k D updates per step (default 1)
         * @return this builder
         */
        public Builder optCriticSteps(int k) {
            this.criticSteps = k;
            return this;
        }

        /**
         * Sets how long D must have won before the watch speaks.
         *
         * @param steps the window in training steps (default 100)
         * @param minChecks the fewest logs inside it (default 3)
         * @return this builder
         */
        public Builder optWindow(long steps, int minChecks) {
            this.window = steps;
            this.minChecks = minChecks;
            return this;
        }

        /**
         * Sets where the warning is printed.
         *
         * @param log the stream (default {@code System.out})
         * @return this builder
         */
        public Builder optLog(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * Builds the watch, evaluating L_D(0, 0) once on the CPU.
         *
         * @return the watch
         */
        public CollapseWatch build() {
            if (loss == null || log == null || window < 0 || minChecks < 1 || criticSteps < 1) {
                throw new GenLabException(
                        "A collapse watch needs a loss and a log; window >= 0, minChecks >= 1,"
                                + " criticSteps >= 1.");
            }
            float chance;
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray zero = m.zeros(new Shape(1, 1));
                chance = loss.discriminatorLoss(zero, zero).getFloat();
            }
            return new CollapseWatch(this, Float.isFinite(chance) ? chance : 0f);
        }
    }
}
