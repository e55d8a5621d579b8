package org.genlab.datasets.toy;

import java.util.Random;

/**
 * A mixture of equal Gaussians whose centres sit evenly on a circle: the classic mode-collapse
 * test. Mode {@code k} is centred at {@code radius * (cos 2πk/m, sin 2πk/m)}; each has standard
 * deviation {@code sigma} in both directions.
 *
 * @param modes the number of Gaussians (default 8)
 * @param radius the circle's radius (default 2)
 * @param sigma the standard deviation of each Gaussian (default 0.02)
 */
public record RingOfGaussians(int modes, double radius, double sigma) implements ToyDistribution {

    /** Checks the parameters. */
    public RingOfGaussians {
        if (modes < 1 || radius <= 0 || sigma <= 0) {
            throw new IllegalArgumentException("need modes >= 1, radius > 0, sigma > 0");
        }
    }

    /**
     * Returns the lecture default: eight modes, radius 2, σ 0.02.
     *
     * @return the default ring
     */
    public static RingOfGaussians defaults() {
        return new RingOfGaussians(8, 2.0, 0.02);
    }

    /**
     * Returns the mode centres, to count which modes a model's samples cover.
     *
     * @return {@code modes} points {x, y}
     */
    public float[][] centres() {
        float[][] c = new float[modes][2];
        for (int k = 0; k < modes; k++) {
            double a = 2 * Math.PI * k / modes;
            c[k][0] = (float) (radius * Math.cos(a));
            c[k][1] = (float) (radius * Math.sin(a));
        }
        return c;
    }

    @Override
    public String name() {
        return "ring";
    }

    @Override
    public int sample(Random rnd, float[] out) {
        int k = rnd.nextInt(modes);
        double a = 2 * Math.PI * k / modes;
        out[0] = (float) (radius * Math.cos(a) + sigma * rnd.nextGaussian());
        out[1] = (float) (radius * Math.sin(a) + sigma * rnd.nextGaussian());
        return k;
    }
}
