package org.genlab.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.util.RandomUtils;

/**
 * Seeds every random generator a run uses, with one call.
 *
 * <p>A run records its seed next to its outputs. Training seeds the engine afresh at every step
 * with {@link #forStep(long, long)}, so the noise drawn at step {@code s} depends only on the run's
 * seed and {@code s}: a run resumed from a checkpoint at step {@code N} continues exactly as the
 * uninterrupted run would have.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Seeds the engine (PyTorch's generator) and DJL's Java-side generator.
     *
     * @param seed the seed; only its low 31 bits reach PyTorch
     */
    public static void seed(long seed) {
        int s = toInt(seed);
        Engine.getInstance().setRandomSeed(s);
        RandomUtils.RANDOM.setSeed(seed);
    }

    /**
     * Derives the seed of one training step from the run's seed (SplitMix64 mixing, so neighbouring
     * steps get unrelated streams).
     *
     * @param runSeed the run's seed
     * @param step the step number
     * @return a seed for that step
     */
    public static long forStep(long runSeed, long step) {
        long z = runSeed + 0x9E3779B97F4A7C15L * (step + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int toInt(long seed) {
        return (int) ((seed ^ (seed >>> 32)) & 0x7FFFFFFF);
    }
}
