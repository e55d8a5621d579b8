package org.genlab.datasets.toy;

import java.util.Random;

/** A distribution on the plane that can be sampled one point at a time. */
public interface ToyDistribution {

    /**
     * Names the distribution.
     *
     * @return e.g. {@code ring}
     */
    String name();

    /**
     * Draws one point.
     *
     * @param rnd the random source (the only randomness used, so a seed reproduces the sample)
     * @param out receives {@code x} in {@code out[0]} and {@code y} in {@code out[1]}
     * @return the component the point came from (mode, moon, cell), or 0 if there is none
     */
    int sample(Random rnd, float[] out);
}
