package org.genlab.autoencoder.bottleneck;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * The middle of an autoencoder: it turns the encoder's output h into the latent z the decoder
 * reads, and says what it costs. The encoder and the decoder do not know which bottleneck sits
 * between them; only the number of channels the encoder must produce depends on it ({@link
 * #inputChannels}).
 *
 * <ul>
 *   <li>{@link KlBottleneck} (VAE, Kingma &amp; Welling 2014; the "KL-reg" autoencoder of Rombach
 *       et al. 2022): h holds the mean μ and log-variance log σ² of a Gaussian posterior; z = μ + σ
 *       ε while training, z = μ for encoding; its cost is KL(N(μ, σ²) ‖ N(0, I)).
 *   <li>{@link VqBottleneck} (VQ-VAE, van den Oord et al. 2017) replaces h by its nearest codebook
 *       vectors (straight-through for the gradient); its codebook is this block's parameter, and
 *       its costs are the codebook and commitment terms.
 * </ul>
 *
 * <p>A bottleneck is a DJL {@link Block} so that parameters it may have (a codebook) are trained,
 * averaged and checkpointed with the rest of the autoencoder.
 */
public interface Bottleneck extends Block {

    /**
     * Returns how many channels the encoder must give this bottleneck for a latent of c channels.
     *
     * @param latentChannels c, the channels of z
     * @return 2c for the KL bottleneck (μ and log σ²), c for a VQ bottleneck
     */
    int inputChannels(int latentChannels);

    /**
     * Makes the latent used to reconstruct while training, and the bottleneck's loss terms.
     *
     * @param ps the parameter store of the forward pass
     * @param h (B, inputChannels(c), h, w), the encoder's output
     * @param training true while training (the KL bottleneck then samples z)
     * @return z (B, c, h, w), the loss terms by name (the trainer multiplies {@code kl} by its β
     *     and adds the others as they are) and metrics to report
     */
    Output apply(ParameterStore ps, NDArray h, boolean training);

    /**
     * Returns the deterministic latent of an encoder output: what {@code encode} gives (μ for the
     * KL bottleneck, the nearest code vectors for VQ).
     *
     * @param ps the parameter store
     * @param h (B, inputChannels(c), h, w)
     * @return z (B, c, h, w)
     */
    NDArray latent(ParameterStore ps, NDArray h);

    /**
     * Names the bottleneck for the run's {@code config.properties}.
     *
     * @return e.g. {@code kl}
     */
    String kind();

    /**
     * Writes the settings beyond {@link #kind()} that rebuild this bottleneck ({@link
     * #fromConfig}).
     *
     * @return {@code autoencoder.*} keys; none for the KL bottleneck
     */
    default Map<String, String> config() {
        return Map.of();
    }

    /**
     * Called by the trainer after each optimizer step, outside the gradient collector: the VQ
     * bottleneck restarts its dead codes here.
     *
     * @return how many parameters' rows were changed (restarted codes); 0 by default
     */
    default int afterStep() {
        return 0;
    }

    /**
     * Returns the KL bottleneck of a VAE.
     *
     * @return a new {@link KlBottleneck}
     */
    static Bottleneck kl() {
        return new KlBottleneck();
    }

    /**
     * Returns the vector-quantised bottleneck of a VQ-VAE with K codes, β = 0.25 and dead-code
     * restarts.
     *
     * @param codes K, e.g. 128
     * @return a new {@link VqBottleneck}
     */
    static VqBottleneck vq(int codes) {
        return new VqBottleneck(codes);
    }

    /**
     * Returns the bottleneck a run's {@code autoencoder.bottleneck} setting names, with default
     * settings.
     *
     * @param kind {@code kl} or {@code vq}
     * @return a new bottleneck
     * @throws org.genlab.core.GenLabException for a kind GenLab does not build
     */
    static Bottleneck byName(String kind) {
        return fromConfig(Map.of("autoencoder.bottleneck", kind == null ? "" : kind));
    }

    /**
     * Rebuilds the bottleneck of run settings: {@code autoencoder.bottleneck} and its own keys
     * ({@link #config()}).
     *
     * @param config the settings
     * @return a new bottleneck
     * @throws org.genlab.core.GenLabException for a kind GenLab does not build
     */
    static Bottleneck fromConfig(Map<String, String> config) {
        String kind = config.get("autoencoder.bottleneck");
        if (KlBottleneck.KIND.equals(kind)) {
            return kl();
        }
        if (VqBottleneck.KIND.equals(kind)) {
            return VqBottleneck.fromConfig(config);
        }
        throw new org.genlab.core.GenLabException(
                "Unknown autoencoder bottleneck '" + kind + "': GenLab builds kl and vq.");
    }

    /**
     * What a bottleneck gives the decoder and the loss while training.
     *
     * @param z (B, c, h, w), the latent to decode
     * @param losses loss terms by name, each a scalar; the trainer weighs {@code kl} by β
     * @param metrics scalars to report that are not part of the loss (codebook usage, perplexity)
     */
    record Output(NDArray z, Map<String, NDArray> losses, Map<String, NDArray> metrics) {

        /**
         * An output without metrics.
         *
         * @param z the latent
         * @param losses the loss terms
         */
        public Output(NDArray z, Map<String, NDArray> losses) {
            this(z, losses, Map.of());
        }
    }
}
