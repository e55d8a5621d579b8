package org.genlab.datasets.toy;

import java.util.Random;

/**
 * The 2D Swiss roll: the spiral {@code t (cos t, sin t)} for {@code t = 1.5π (1 + 2u)}, u uniform
 * in [0,1), divided by 5 so that it fits in about [-3,3]², plus Gaussian noise.
 *
 * @param noise the noise's standard deviation before scaling (default 0.25)
 */
public record SwissRoll(double noise) implements ToyDistribution {

    /**
     * Returns the Swiss roll with noise 0.25.
     *
     * @return the default
     */
    public static SwissRoll defaults() {
        return new SwissRoll(0.25);
    }

    @Override
    public String name() {
        return "swissroll";
    }

    @Override
    public int sample(Random rnd, float[] out) {
        double t = 1.5 * Math.PI * (1 + 2 * rnd.nextDouble());
        out[0] = (float) ((t * Math.cos(t) + noise * rnd.nextGaussian()) / 5);
        out[1] = (float) ((t * Math.sin(t) + noise * rnd.nextGaussian()) / 5);
        return 0;
    }
}
