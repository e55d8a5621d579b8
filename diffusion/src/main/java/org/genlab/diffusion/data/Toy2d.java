package org.genlab.diffusion.data;

import java.util.Random;
import org.genlab.core.GenLabException;

/**
 * 2D toy distributions for diffusion demos (a stop-gap until {@code
 * org.genlab.datasets.toy.ToyDataset} is merged): ring, moons, swissroll, checkerboard, scaled to
 * roughly [−2, 2].
 */
public final class Toy2d {

    private Toy2d() {}

    /**
     * Draws n points.
     *
     * @param name ring, moons, swissroll or checkerboard
     * @param n how many
     * @param seed the seed
     * @return n × {x, y}
     */
    public static float[][] sample(String name, int n, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[n][2];
        for (int i = 0; i < n; i++) {
            double x;
            double y;
            switch (name) {
                case "ring":
                    {
                        double a = r.nextDouble() * 2 * Math.PI;
                        double rad = 1.5 + 0.05 * r.nextGaussian();
                        x = rad * Math.cos(a);
                        y = rad * Math.sin(a);
                        break;
                    }
                case "moons":
                    {
                        double a = r.nextDouble() * Math.PI;
                        if (r.nextBoolean()) {
                            x = Math.cos(a) - 0.5;
                            y = Math.sin(a) - 0.25;
                        } else {
                            x = 1 - Math.cos(a) - 0.5;
                            y = 0.5 - Math.sin(a) - 0.25;
                        }
                        x = x * 1.5 + 0.05 * r.nextGaussian();
                        y = y * 1.5 + 0.05 * r.nextGaussian();
                        break;
                    }
                case "swissroll":
                    {
                        double t = 1.5 * Math.PI * (1 + 2 * r.nextDouble());
                        x = t * Math.cos(t) / 7 + 0.05 * r.nextGaussian();
                        y = t * Math.sin(t) / 7 + 0.05 * r.nextGaussian();
                        break;
                    }
                case "checkerboard":
                    {
                        double x1 = r.nextDouble() * 4 - 2;
                        double x2 = r.nextDouble() - r.nextInt(2) * 2;
                        x2 += Math.floor(x1) % 2 == 0 ? 1 : 0;
                        x = x1;
                        y = x2;
                        break;
                    }
                default:
                    throw new GenLabException(
                            "Unknown toy data set '"
                                    + name
                                    + "': use ring, moons, swissroll or checkerboard.");
            }
            p[i][0] = (float) x;
            p[i][1] = (float) y;
        }
        return p;
    }

    /**
     * Flattens points row-major.
     *
     * @param points n × 2
     * @return 2n floats
     */
    public static float[] flatten(float[][] points) {
        float[] f = new float[points.length * 2];
        for (int i = 0; i < points.length; i++) {
            f[2 * i] = points[i][0];
            f[2 * i + 1] = points[i][1];
        }
        return f;
    }
}
