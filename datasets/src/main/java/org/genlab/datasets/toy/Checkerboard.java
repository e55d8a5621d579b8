package org.genlab.datasets.toy;

import java.util.Random;

/**
 * Uniform points on the dark squares of a checkerboard of {@code cells x cells} unit squares
 * centred on the origin: square (i, j) is dark when {@code i + j} is even. Its support is
 * disconnected, with sharp edges.
 *
 * @param cells squares per side (default 4, giving [-2,2]²)
 */
public record Checkerboard(int cells) implements ToyDistribution {

    /** Checks the parameter. */
    public Checkerboard {
        if (cells < 2) {
            throw new IllegalArgumentException("a checkerboard needs at least 2 cells per side");
        }
    }

    /**
     * Returns a 4x4 checkerboard on [-2,2]².
     *
     * @return the default
     */
    public static Checkerboard defaults() {
        return new Checkerboard(4);
    }

    @Override
    public String name() {
        return "checkerboard";
    }

    @Override
    public int sample(Random rnd, float[] out) {
        int i;
        int j;
        do {
            i = rnd.nextInt(cells);
            j = rnd.nextInt(cells);
        } while ((i + j) % 2 != 0);
        double half = cells / 2.0;
        out[0] = (float) (i + rnd.nextDouble() - half);
        out[1] = (float) (j + rnd.nextDouble() - half);
        return i * cells + j;
    }
}
