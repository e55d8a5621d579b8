package org.genlab.eval.compare;

import java.util.List;

/**
 * Everything {@code genlab compare} measured, as written to {@code report.json}.
 *
 * @param genlab the GenLab version
 * @param device the device the models ran on
 * @param dataset the data set all runs trained on
 * @param classifier the feature classifier and its test accuracy
 * @param samples samples per set
 * @param referenceSplit which images the samples are compared with
 * @param floor the real-versus-real floor
 * @param models one entry per run
 */
public record ComparisonResult(
        String genlab,
        String device,
        String dataset,
        Classifier classifier,
        int samples,
        String referenceSplit,
        SampleMetrics floor,
        List<Model> models) {

    /**
     * The feature classifier.
     *
     * @param name e.g. {@code LeNet (mnist)}
     * @param distance e.g. {@code Fréchet LeNet Distance}
     * @param testAccuracy accuracy on the test split
     */
    public record Classifier(String name, String distance, double testAccuracy) {}

    /**
     * One sampler's speed.
     *
     * @param sampler e.g. {@code DDIM-50}
     * @param batch images per call
     * @param imagesPerSecond measured after a warm-up
     */
    public record Speed(String sampler, int batch, double imagesPerSecond) {}

    /**
     * One run.
     *
     * @param run the run's folder name
     * @param family {@code GAN}, {@code Diffusion} or {@code Autoregressive}
     * @param steps training steps
     * @param quality the metrics of its quality sampler
     * @param speeds the speed of each of its samplers
     * @param gridPng file name of its sample grid in the report folder
     * @param lossPng file name of its loss chart in the report folder, or null
     * @param neighboursPng file name of its nearest-neighbour panel
     * @param control class-conditional accuracy, or null for an unconditional model
     * @param prompts prompt accuracy, or null for a model that reads no captions
     * @param bitsPerToken an autoregressive model's training loss in bits per image token (0 for
     *     the other families, which give no likelihood this way)
     */
    public record Model(
            String run,
            String family,
            long steps,
            SampleMetrics quality,
            List<Speed> speeds,
            String gridPng,
            String lossPng,
            String neighboursPng,
            Control control,
            Prompts prompts,
            double bitsPerToken) {}

    /**
     * How well a class-conditional model draws the class it is asked for ({@code null} in {@link
     * Model} for unconditional models).
     *
     * @param sampler how the samples were drawn, e.g. {@code DDIM-50, guidance 3}
     * @param n samples asked for, the same number of each class
     * @param accuracy share of samples the classifier assigns to the requested class
     * @param perClass the same share per requested class
     * @param gridPng one row per class
     */
    /**
     * Prompt accuracy of a text-conditional run (one sample per prompt, guided with weight w).
     *
     * @param guidance w
     * @param n prompts from the test split's compositions
     * @param classAccuracy share drawn as the requested class
     * @param attributeAccuracy share of requested attributes measured in the requested bin
     * @param heldOutN prompts of the held-out compositions
     * @param heldOutClassAccuracy their class accuracy
     * @param heldOutAttributeAccuracy their attribute accuracy
     * @param gridPng a grid of samples per prompt
     */
    public record Prompts(
            float guidance,
            int n,
            double classAccuracy,
            double attributeAccuracy,
            int heldOutN,
            double heldOutClassAccuracy,
            double heldOutAttributeAccuracy,
            String gridPng) {}

    public record Control(
            String sampler, int n, double accuracy, double[] perClass, String gridPng) {}
}
