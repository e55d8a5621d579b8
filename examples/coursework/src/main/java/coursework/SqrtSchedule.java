package coursework;

import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * The "sqrt" noise schedule of Li et al., "Diffusion-LM Improves Controllable Text Generation"
 * (NeurIPS 2022): ᾱ_t = 1 − √(t/T + s). It adds noise fast at the start, where the linear schedule
 * of Ho et al. barely changes the image.
 */
final class SqrtSchedule {

    private SqrtSchedule() {}

    static NoiseSchedule of(int steps) {
        double s = 1e-4;
        double[] alphaBar = new double[steps];
        for (int t = 0; t < steps; t++) {
            alphaBar[t] = 1 - Math.sqrt((t + 1.0) / steps + s);
        }
        alphaBar[steps - 1] = Math.max(alphaBar[steps - 1], 1e-5); // ᾱ_T > 0
        return NoiseSchedule.fromAlphaBars("sqrt", alphaBar);
    }
}
