package org.genlab.eval.compare;

/**
 * What one sample set measures against the real data, in a feature classifier's space.
 *
 * @param label the sampler, e.g. {@code GAN} or {@code DDIM-50}; {@code Real (test)} for the floor
 * @param n the number of samples measured
 * @param frechet the Fréchet distance to the training images (lower is better)
 * @param precision share of samples inside the real manifold (quality)
 * @param recall share of real images inside the samples' manifold (diversity)
 * @param coverage share of classes the classifier finds among the samples
 * @param classHistogram samples per predicted class
 * @param confidence mean classifier confidence
 * @param nearestTrainDistance mean feature distance from a sample to its nearest training image
 */
public record SampleMetrics(
        String label,
        int n,
        double frechet,
        double precision,
        double recall,
        double coverage,
        int[] classHistogram,
        double confidence,
        double nearestTrainDistance) {}
