package org.genlab.diffusion.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.genlab.core.GenLabException;

/**
 * The variance schedule β<sub>1..T</sub> of a diffusion and every table derived from it, following
 * Ho, Jain &amp; Abbeel, <i>Denoising Diffusion Probabilistic Models</i> (NeurIPS 2020):
 *
 * <pre>
 *   α_t = 1 − β_t,   ᾱ_t = ∏_{s ≤ t} α_s
 *   q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I)
 *   q(x_{t−1} | x_t, x_0) = N(μ̃_t, β̃_t I),
 *     μ̃_t = [β_t √ᾱ_{t−1} / (1 − ᾱ_t)] x_0 + [(1 − ᾱ_{t−1}) √α_t / (1 − ᾱ_t)] x_t
 *     β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)
 * </pre>
 *
 * <p>Time steps are 0-based in code: index {@code t} in {@code 0 … T−1} is the paper's t + 1, so
 * {@code alphaBar(T−1)} is ᾱ_T and {@code alphaBarPrev(0)} is ᾱ_0 = 1. The schedule knows nothing
 * of networks (diffusers' "scheduler" half); {@link #tensors(NDManager)} puts the tables on a
 * device once, so training gathers per-sample coefficients with one op each.
 *
 * <p>Start with {@link #linear(int)} (β from 10⁻⁴ to 0.02, Ho et al.) or {@link #cosine(int)}
 * (Nichol &amp; Dhariwal, <i>Improved DDPM</i>, ICML 2021). A schedule of your own is a value too:
 * give its β table ({@link #fromBetas}) or its ᾱ table ({@link #fromAlphaBars}), then hand it to
 * the trainer ({@code DiffusionTrainer.Builder#optSchedule}) and to the samplers ({@code
 * DdimSampler.builder().setSchedule(s)}). For example ᾱ_t = exp(−5 t / T):
 *
 * <pre>{@code
 * int steps = 200;
 * double[] alphaBars = new double[steps];
 * for (int t = 1; t <= steps; t++) {
 *     alphaBars[t - 1] = Math.exp(-5.0 * t / steps);
 * }
 * NoiseSchedule exp5 = NoiseSchedule.fromAlphaBars("exp5", alphaBars);
 * }</pre>
 *
 * <p>A run folder records the schedule's {@link #name()}; only {@code linear} and {@code cosine}
 * are rebuilt by name ({@code genlab sample diffusion}), a custom schedule is sampled from code.
 */
public final class NoiseSchedule {

    private static final String CUSTOM = "custom";

    private final String name;
    private final double[] betas;
    private final double[] alphas;
    private final double[] alphaBar;
    private final double[] alphaBarPrev;
    private final double[] posteriorVariance;
    private final double[] posteriorMeanCoefX0;
    private final double[] posteriorMeanCoefXt;

    private NoiseSchedule(String name, double[] betas, String source) {
        if (betas == null || betas.length < 1) {
            throw new GenLabException(source + ": a noise schedule needs at least one step.");
        }
        int t = betas.length;
        this.name = name;
        this.betas = betas.clone();
        alphas = new double[t];
        alphaBar = new double[t];
        alphaBarPrev = new double[t];
        posteriorVariance = new double[t];
        posteriorMeanCoefX0 = new double[t];
        posteriorMeanCoefXt = new double[t];
        double prod = 1;
        for (int i = 0; i < t; i++) {
            if (!(betas[i] > 0 && betas[i] < 1)) {
                throw new GenLabException(
                        source + ": β_" + (i + 1) + " = " + betas[i] + " is not in (0, 1).");
            }
            alphas[i] = 1 - betas[i];
            alphaBarPrev[i] = prod;
            prod *= alphas[i];
            alphaBar[i] = prod;
            posteriorVariance[i] = betas[i] * (1 - alphaBarPrev[i]) / (1 - alphaBar[i]);
            posteriorMeanCoefX0[i] = betas[i] * Math.sqrt(alphaBarPrev[i]) / (1 - alphaBar[i]);
            posteriorMeanCoefXt[i] =
                    (1 - alphaBarPrev[i]) * Math.sqrt(alphas[i]) / (1 - alphaBar[i]);
        }
    }

    /**
     * A schedule from its variances β_1..β_T, each in (0, 1), named {@code custom}.
     *
     * <pre>{@code
     * double[] betas = new double[100];
     * for (int i = 0; i < 100; i++) {
     *     betas[i] = 0.001 + 0.05 * Math.pow(i / 99.0, 2);   // a quadratic ramp
     * }
     * NoiseSchedule s = NoiseSchedule.fromBetas(betas);
     * }</pre>
     *
     * @param betas β_1..β_T (copied)
     * @return the schedule
     */
    public static NoiseSchedule fromBetas(double... betas) {
        return fromBetas(CUSTOM, betas);
    }

    /**
     * A named schedule from its variances β_1..β_T, each in (0, 1).
     *
     * @param name what the run folder records (not {@code linear} or {@code cosine}, which name the
     *     built-in schedules)
     * @param betas β_1..β_T (copied)
     * @return the schedule
     */
    public static NoiseSchedule fromBetas(String name, double... betas) {
        return new NoiseSchedule(checkName(name, "fromBetas"), betas, "NoiseSchedule.fromBetas");
    }

    /**
     * A schedule from its signal levels ᾱ_1..ᾱ_T, named {@code custom}: they must fall strictly
     * from ᾱ_0 = 1 and stay above 0. Then β_t = 1 − ᾱ_t / ᾱ_{t−1}.
     *
     * @param alphaBars ᾱ_1..ᾱ_T
     * @return the schedule
     */
    public static NoiseSchedule fromAlphaBars(double... alphaBars) {
        return fromAlphaBars(CUSTOM, alphaBars);
    }

    /**
     * A named schedule from its signal levels ᾱ_1..ᾱ_T (strictly decreasing, in (0, 1)); β_t = 1 −
     * ᾱ_t / ᾱ_{t−1} with ᾱ_0 = 1.
     *
     * @param name what the run folder records (not {@code linear} or {@code cosine})
     * @param alphaBars ᾱ_1..ᾱ_T
     * @return the schedule
     */
    public static NoiseSchedule fromAlphaBars(String name, double... alphaBars) {
        String source = "NoiseSchedule.fromAlphaBars";
        checkName(name, "fromAlphaBars");
        if (alphaBars == null || alphaBars.length < 1) {
            throw new GenLabException(source + ": a noise schedule needs at least one step.");
        }
        double[] b = new double[alphaBars.length];
        double prev = 1;
        for (int i = 0; i < alphaBars.length; i++) {
            double ab = alphaBars[i];
            if (!(ab > 0 && ab < prev)) {
                throw new GenLabException(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s: ᾱ must fall strictly from ᾱ_0 = 1 and stay above 0, but ᾱ_%d = %s"
                                        + " after ᾱ_%d = %s.",
                                source,
                                i + 1,
                                ab,
                                i,
                                prev));
            }
            b[i] = 1 - ab / prev;
            prev = ab;
        }
        return new NoiseSchedule(name, b, source);
    }

    /**
     * The linear schedule of Ho et al. 2020: β rises linearly from 10⁻⁴ to 0.02 over T steps.
     *
     * @param steps T, 1000 in the paper
     * @return the schedule
     */
    public static NoiseSchedule linear(int steps) {
        return linear(steps, 1e-4, 0.02);
    }

    /**
     * A linear schedule with chosen end points.
     *
     * @param steps T
     * @param betaStart β_1
     * @param betaEnd β_T
     * @return the schedule
     */
    public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
        checkSteps(steps);
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            b[i] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * i / (steps - 1);
        }
        boolean standard = betaStart == 1e-4 && betaEnd == 0.02;
        // other end points get their own name: "linear" in a run folder means Ho et al.'s
        String name = standard ? "linear" : "linear-" + betaStart + "-" + betaEnd;
        return new NoiseSchedule(name, b, "NoiseSchedule.linear");
    }

    /**
     * The cosine schedule of Nichol &amp; Dhariwal 2021: ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)
     * / (1 + s) · π/2) with s = 0.008, and β_t = min(1 − ᾱ_t/ᾱ_{t−1}, 0.999).
     *
     * @param steps T
     * @return the schedule
     */
    public static NoiseSchedule cosine(int steps) {
        checkSteps(steps);
        double s = 0.008;
        double[] b = new double[steps];
        for (int i = 0; i < steps; i++) {
            double f0 = cosineF(i / (double) steps, s);
            double f1 = cosineF((i + 1) / (double) steps, s);
            b[i] = Math.min(1 - f1 / f0, 0.999);
        }
        return new NoiseSchedule("cosine", b, "NoiseSchedule.cosine");
    }

    /**
     * Looks a built-in schedule up by name.
     *
     * @param name {@code linear} or {@code cosine}
     * @param steps T
     * @return the schedule
     */
    public static NoiseSchedule byName(String name, int steps) {
        switch (name) {
            case "linear":
                return linear(steps);
            case "cosine":
                return cosine(steps);
            default:
                throw new GenLabException(
                        "Unknown noise schedule '" + name + "': use linear or cosine.");
        }
    }

    private static double cosineF(double u, double s) {
        double c = Math.cos((u + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    private static String checkName(String name, String method) {
        if (name == null || name.isBlank() || name.contains("\n")) {
            throw new GenLabException(
                    "NoiseSchedule." + method + ": give a one-line name, e.g. \"custom\".");
        }
        if (name.equals("linear") || name.equals("cosine")) {
            throw new GenLabException(
                    "NoiseSchedule."
                            + method
                            + ": '"
                            + name
                            + "' names a built-in schedule; give yours another name.");
        }
        return name;
    }

    private static void checkSteps(int steps) {
        if (steps < 1) {
            throw new GenLabException("The number of diffusion steps must be ≥ 1, got " + steps);
        }
    }

    /**
     * Returns the schedule's name: {@code linear} or {@code cosine} for the built-in schedules,
     * {@code custom} or the name given to {@link #fromBetas(String, double...)} otherwise.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns T, the number of diffusion steps.
     *
     * @return T
     */
    public int steps() {
        return betas.length;
    }

    /**
     * Returns β_t.
     *
     * @param t 0-based step
     * @return β
     */
    public double beta(int t) {
        return betas[t];
    }

    /**
     * Returns α_t = 1 − β_t.
     *
     * @param t 0-based step
     * @return α
     */
    public double alpha(int t) {
        return alphas[t];
    }

    /**
     * Returns ᾱ_t = ∏ α_s; {@code alphaBar(-1)} is 1 (no noise).
     *
     * @param t 0-based step, or −1
     * @return ᾱ
     */
    public double alphaBar(int t) {
        return t < 0 ? 1.0 : alphaBar[t];
    }

    /**
     * Returns ᾱ_{t−1} (1 at t = 0).
     *
     * @param t 0-based step
     * @return ᾱ of the previous step
     */
    public double alphaBarPrev(int t) {
        return alphaBarPrev[t];
    }

    /**
     * Returns the posterior variance β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t).
     *
     * @param t 0-based step
     * @return β̃
     */
    public double posteriorVariance(int t) {
        return posteriorVariance[t];
    }

    /**
     * Returns the coefficient of x_0 in the posterior mean μ̃_t.
     *
     * @param t 0-based step
     * @return β_t √ᾱ_{t−1} / (1 − ᾱ_t)
     */
    public double posteriorMeanCoefX0(int t) {
        return posteriorMeanCoefX0[t];
    }

    /**
     * Returns the coefficient of x_t in the posterior mean μ̃_t.
     *
     * @param t 0-based step
     * @return (1 − ᾱ_{t−1}) √α_t / (1 − ᾱ_t)
     */
    public double posteriorMeanCoefXt(int t) {
        return posteriorMeanCoefXt[t];
    }

    /**
     * Returns a copy of the β table.
     *
     * @return β_1..T
     */
    public double[] betas() {
        return betas.clone();
    }

    /**
     * Returns a copy of the ᾱ table.
     *
     * @return ᾱ_1..T
     */
    public double[] alphaBars() {
        return alphaBar.clone();
    }

    /**
     * Puts √ᾱ and √(1 − ᾱ) on the manager's device, once: the tables training gathers from.
     *
     * @param manager where the tables live (keep it open as long as they are used)
     * @return the device tables
     */
    public Tensors tensors(NDManager manager) {
        int n = betas.length;
        float[] sa = new float[n];
        float[] s1 = new float[n];
        for (int i = 0; i < n; i++) {
            sa[i] = (float) Math.sqrt(alphaBar[i]);
            s1[i] = (float) Math.sqrt(1 - alphaBar[i]);
        }
        return new Tensors(manager.create(sa), manager.create(s1));
    }

    @Override
    public String toString() {
        return name + "(" + betas.length + ")";
    }

    /** √ᾱ_t and √(1 − ᾱ_t) as device tensors of length T. */
    public static final class Tensors {
        private final NDArray sqrtAlphaBar;
        private final NDArray sqrtOneMinusAlphaBar;

        Tensors(NDArray sqrtAlphaBar, NDArray sqrtOneMinusAlphaBar) {
            this.sqrtAlphaBar = sqrtAlphaBar;
            this.sqrtOneMinusAlphaBar = sqrtOneMinusAlphaBar;
        }

        /**
         * Returns T, the length of the tables.
         *
         * @return T
         */
        public int steps() {
            return (int) sqrtAlphaBar.size();
        }

        /**
         * Gathers √ᾱ_t for a batch of steps, shaped to broadcast against x (B, 1, …, 1).
         *
         * @param t int64 steps, shape (B)
         * @param rank the rank of x
         * @return the coefficients
         */
        public NDArray sqrtAlphaBar(NDArray t, int rank) {
            return gather(sqrtAlphaBar, t, rank);
        }

        /**
         * Gathers √(1 − ᾱ_t) for a batch of steps, shaped (B, 1, …, 1).
         *
         * @param t int64 steps, shape (B)
         * @param rank the rank of x
         * @return the coefficients
         */
        public NDArray sqrtOneMinusAlphaBar(NDArray t, int rank) {
            return gather(sqrtOneMinusAlphaBar, t, rank);
        }

        private static NDArray gather(NDArray table, NDArray t, int rank) {
            long[] shape = new long[rank];
            java.util.Arrays.fill(shape, 1);
            shape[0] = t.size();
            // the gathered values belong to the step (t's manager), not to the table's: otherwise
            // every training step would leave two arrays behind in the model's manager
            return table.take(t.getManager(), t).reshape(shape);
        }
    }
}
