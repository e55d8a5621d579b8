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
 *   <li>A vector-quantised bottleneck (VQ-VAE, van den Oord et al. 2017) will replace h by its
 *       nearest codebook vectors; its codebook is then this block's parameter, and its costs are
 *       the codebook and commitment terms.
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
     * @return z (B, c, h, w) and the unweighted loss terms by name (e.g. {@code kl})
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
     * Returns the KL bottleneck of a VAE.
     *
     * @return a new {@link KlBottleneck}
     */
    static Bottleneck kl() {
        return new KlBottleneck();
    }

    /**
     * Returns the bottleneck a run's {@code autoencoder.bottleneck} setting names.
     *
     * @param kind e.g. {@code kl}
     * @return a new bottleneck
     * @throws org.genlab.core.GenLabException for a kind GenLab does not build
     */
    static Bottleneck byName(String kind) {
        if (KlBottleneck.KIND.equals(kind)) {
            return kl();
        }
        throw new org.genlab.core.GenLabException(
                "Unknown autoencoder bottleneck '" + kind + "': GenLab builds kl.");
    }

    /**
     * What a bottleneck gives the decoder and the loss while training.
     *
     * @param z (B, c, h, w), the latent to decode
     * @param losses unweighted loss terms by name, each a scalar; the trainer weighs them
     */
    record Output(NDArray z, Map<String, NDArray> losses) {}
}
