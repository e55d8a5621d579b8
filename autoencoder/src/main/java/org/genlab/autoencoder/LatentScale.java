package org.genlab.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.genlab.core.GenLabException;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.NoGrad;

/**
 * The scale factor of latent diffusion (Rombach et al. 2022, Sec. 4.3.2 and App. D.1): the
 * autoencoder's latents can have any spread, but a diffusion model's noise schedule assumes data of
 * about unit variance. So the latents are multiplied by
 *
 * <pre>
 *   s = 1 / std(μ)          over the posterior means μ of a few thousand training images
 * </pre>
 *
 * before diffusion, and divided by it before decoding. The run folder records s as {@code
 * latent.scale}; {@link LatentSpace} applies it.
 */
public final class LatentScale {

    /** The {@code config.properties} key of s. */
    public static final String KEY = "latent.scale";

    /** How many images {@code latent.scale} was measured on. */
    public static final String IMAGES_KEY = "latent.scaleImages";

    private static final int CHUNK = 256;

    private LatentScale() {}

    /**
     * Measures the standard deviation of the latents μ of {@code count} images spread evenly over a
     * data set, pooled over all latent elements.
     *
     * @param model the autoencoder (with the weights to measure: call it inside {@code
     *     ema.withWeights(...)} for the EMA)
     * @param data the images
     * @param count how many (at most the set's size)
     * @param manager a manager on the model's device, for temporary arrays
     * @return std(μ)
     */
    public static float std(Autoencoder model, SampleSet data, int count, NDManager manager) {
        int n = Math.min(count, data.size());
        if (n < 2) {
            throw new GenLabException("The latent scale needs at least 2 images, got " + n + ".");
        }
        double sum = 0;
        double sumSq = 0;
        long elements = 0;
        try (NoGrad scope = NoGrad.enter()) {
            for (int from = 0; from < n; from += CHUNK) {
                int m = Math.min(CHUNK, n - from);
                int[] idx = new int[m];
                for (int i = 0; i < m; i++) {
                    // evenly spread: a set sorted by class still gives every class
                    idx[i] = (int) ((long) (from + i) * data.size() / n);
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray mu =
                            model.encode(
                                    new ParameterStore(sub, false),
                                    data.samples(sub, idx).toDevice(sub.getDevice(), false));
                    float[] s =
                            NDArrays.concat(
                                            new NDList(
                                                    mu.sum().reshape(1),
                                                    mu.square().sum().reshape(1)))
                                    .toFloatArray();
                    sum += s[0];
                    sumSq += s[1];
                    elements += mu.size();
                }
            }
        }
        // std = sqrt(E[μ²] − E[μ]²)
        double mean = sum / elements;
        return (float) Math.sqrt(Math.max(0, sumSq / elements - mean * mean));
    }

    /**
     * Returns s = 1 / std(μ), the factor that gives the latents unit variance.
     *
     * @param model the autoencoder
     * @param data the images
     * @param count how many
     * @param manager a manager on the model's device
     * @return s
     */
    public static float measure(Autoencoder model, SampleSet data, int count, NDManager manager) {
        float std = std(model, data, count, manager);
        if (!(std > 0) || Float.isInfinite(std)) {
            throw new GenLabException(
                    "The latents have standard deviation "
                            + std
                            + ": the autoencoder encodes every image alike. Train it longer.");
        }
        return 1f / std;
    }
}
