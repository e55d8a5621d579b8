package org.genlab.autoencoder.bottleneck;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import org.genlab.core.nn.Scalars;

/**
 * The bottleneck of a variational autoencoder (Kingma &amp; Welling, "Auto-Encoding Variational
 * Bayes", ICLR 2014), as the "KL-reg" autoencoder of latent diffusion uses it (Rombach et al.,
 * "High-Resolution Image Synthesis with Latent Diffusion Models", CVPR 2022, Sec. 3.1 and App. G).
 *
 * <p>The encoder gives, per latent element, the mean μ and the log-variance log σ² of a diagonal
 * Gaussian posterior q(z | x) = N(μ, σ²). Notation: {@code mu} = μ, {@code logVar} = log σ², {@code
 * sigma} = σ, {@code eps} = ε.
 *
 * <pre>
 *   (μ, log σ²) = split(h)                                  first c channels, last c channels
 *   z = μ + σ · ε,   σ = exp(½ log σ²),  ε ~ N(0, I)        training (reparameterisation trick)
 *   z = μ                                                   encoding
 *   KL(N(μ, σ²) ‖ N(0, I)) = ½ (μ² + σ² − 1 − log σ²)       per element, averaged here
 * </pre>
 *
 * <p>The trainer adds β · KL to the reconstruction loss; a small β keeps the latent close to a
 * standard Gaussian in shape (smooth, bounded) without blurring the reconstructions. It has no
 * parameters.
 */
public final class KlBottleneck extends AbstractBlock implements Bottleneck {

    /** The name of this bottleneck in {@code config.properties}. */
    public static final String KIND = "kl";

    /** The name of its loss term. */
    public static final String KL = "kl";

    /** log σ² is clamped to this range (as in Rombach et al.'s code) to keep exp finite. */
    private static final float LOG_VAR_MIN = -30f;

    private static final float LOG_VAR_MAX = 20f;

    /** Creates the bottleneck. */
    public KlBottleneck() {}

    @Override
    public int inputChannels(int latentChannels) {
        return 2 * latentChannels;
    }

    @Override
    public Output apply(ParameterStore ps, NDArray h, boolean training) {
        // (μ, log σ²) = split(h)
        NDList moments = h.split(2, 1);
        NDArray mu = moments.get(0);
        NDArray logVar = moments.get(1).clip(LOG_VAR_MIN, LOG_VAR_MAX);
        NDArray z = mu;
        if (training) {
            // z = μ + σ · ε, σ = exp(½ log σ²), ε ~ N(0, I)
            NDArray sigma = Scalars.mul(logVar, 0.5f).exp();
            NDArray eps = h.getManager().randomNormal(mu.getShape());
            z = mu.add(sigma.mul(eps));
        }
        return new Output(z, Map.of(KL, kl(mu, logVar)));
    }

    /**
     * The KL divergence of N(μ, σ²) from N(0, I), per latent element, averaged over all elements:
     *
     * <pre>
     *   KL = mean ½ (μ² + σ² − 1 − log σ²)
     * </pre>
     *
     * It is 0 exactly when μ = 0 and log σ² = 0, positive otherwise.
     *
     * @param mu μ, any shape
     * @param logVar log σ², the same shape
     * @return the scalar KL
     */
    public static NDArray kl(NDArray mu, NDArray logVar) {
        // ½ (μ² + σ² − 1 − log σ²)
        NDArray perElement = mu.square().add(logVar.exp()).sub(Scalars.scalar(mu, 1f)).sub(logVar);
        return Scalars.mul(perElement.mean(), 0.5f);
    }

    @Override
    public NDArray latent(ParameterStore ps, NDArray h) {
        // z = μ
        return h.split(2, 1).get(0);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training).z());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape h = inputShapes[0];
        return new Shape[] {new Shape(h.get(0), h.get(1) / 2, h.get(2), h.get(3))};
    }
}
