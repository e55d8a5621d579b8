package org.genlab.bench.work;

import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.genlab.core.GenLabException;

/**
 * The image sizes the benchmark measures: the shape of the data sets, filled with random values
 * (loading data is not what is timed).
 *
 * @param name {@code mnist} or {@code cifar10}
 * @param channels C
 * @param height H
 * @param width W
 */
public record ImageShape(String name, int channels, int height, int width) {

    /** MNIST and Fashion-MNIST: 1 × 28 × 28. */
    public static final ImageShape MNIST = new ImageShape("mnist", 1, 28, 28);

    /** CIFAR-10: 3 × 32 × 32. */
    public static final ImageShape CIFAR10 = new ImageShape("cifar10", 3, 32, 32);

    /**
     * Looks a size up by data set name.
     *
     * @param name {@code mnist} (or {@code fashion-mnist}) or {@code cifar10}
     * @return the shape
     */
    public static ImageShape byName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mnist":
            case "fashion-mnist":
                return MNIST;
            case "cifar10":
            case "cifar-10":
                return CIFAR10;
            default:
                throw new GenLabException(
                        "Unknown image size '" + name + "': use mnist or cifar10.");
        }
    }

    /**
     * Returns the size of this image's latent in GenLab's autoencoder (f = 4), under the same
     * data-set name.
     *
     * @param channels c, the latent channels
     * @return (c, H/4, W/4), e.g. 4×7×7 for MNIST
     */
    public ImageShape latent(int channels) {
        return new ImageShape(name, channels, height / 4, width / 4);
    }

    /**
     * Returns the size of one sample of a shape (C, H, W), unnamed.
     *
     * @param chw (C, H, W)
     * @return the size, named {@code custom}
     */
    public static ImageShape of(Shape chw) {
        return new ImageShape("custom", (int) chw.get(0), (int) chw.get(1), (int) chw.get(2));
    }

    /**
     * Returns (C, H, W).
     *
     * @return the shape of one image
     */
    public Shape chw() {
        return new Shape(channels, height, width);
    }

    /**
     * Returns (B, C, H, W).
     *
     * @param batch B
     * @return the shape of a batch
     */
    public Shape batch(int batch) {
        return new Shape(batch, channels, height, width);
    }

    /**
     * Returns the shape as text.
     *
     * @return e.g. {@code 1x28x28}
     */
    public String dims() {
        return channels + "x" + height + "x" + width;
    }
}
