package org.genlab.autoencoder.train;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import org.genlab.core.GenLabException;

/**
 * How far a reconstruction x̂ is from the image x, averaged over pixels.
 *
 * <ul>
 *   <li>{@link #MSE}: mean (x − x̂)², the Gaussian log-likelihood of a VAE (Kingma &amp; Welling
 *       2014) up to constants; it is what PSNR measures.
 *   <li>{@link #L1}: mean |x − x̂|, the pixel term of latent diffusion's autoencoders (Rombach et
 *       al. 2022, with a perceptual and an adversarial term beside it); it punishes small errors
 *       more and large ones less, so edges come out a little sharper.
 * </ul>
 */
public enum ReconstructionLoss {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    L1;

    /**
     * Computes the loss.
     *
     * @param xHat (B, C, H, W) reconstructions
     * @param x (B, C, H, W) images
     * @return the scalar loss
     */
    public NDArray apply(NDArray xHat, NDArray x) {
        NDArray diff = xHat.sub(x);
        // MSE: mean (x − x̂)²;  L1: mean |x − x̂|
        return this == MSE ? diff.square().mean() : diff.abs().mean();
    }

    /**
     * Returns the name used on the command line and in {@code config.properties}.
     *
     * @return {@code mse} or {@code l1}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Finds a loss by name.
     *
     * @param name {@code mse} or {@code l1}
     * @return the loss
     */
    public static ReconstructionLoss byName(String name) {
        for (ReconstructionLoss l : values()) {
            if (l.id().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new GenLabException("Unknown reconstruction loss '" + name + "': use mse or l1.");
    }
}
