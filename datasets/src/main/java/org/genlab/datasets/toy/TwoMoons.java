package org.genlab.datasets.toy;

import java.util.Random;

/**
 * Two interleaved half circles (as scikit-learn's {@code make_moons}), centred on the origin: the
 * upper moon {@code (cos t, sin t)}, the lower {@code (1 - cos t, 1/2 - sin t)} for {@code t} in
 * [0, π], shifted by (-1/2, -1/4), plus Gaussian noise.
 *
 * @param noise the noise's standard deviation (default 0.05)
 */
public record TwoMoons(double noise) implements ToyDistribution {

    /**
     * Returns two moons with noise 0.05.
     *
     * @return the default
     */
    public static TwoMoons defaults() {
        return new TwoMoons(0.05);
    }

    @Override
    public String name() {
        return "moons";
    }

    @Override
    public int sample(Random rnd, float[] out) {
        int moon = rnd.nextInt(2);
        double t = Math.PI * rnd.nextDouble();
        double x = moon == 0 ? Math.cos(t) : 1 - Math.cos(t);
        double y = moon == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
        out[0] = (float) (x - 0.5 + noise * rnd.nextGaussian());
        out[1] = (float) (y - 0.25 + noise * rnd.nextGaussian());
        return moon;
    }
}
