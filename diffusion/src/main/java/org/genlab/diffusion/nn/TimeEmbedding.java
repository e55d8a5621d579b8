package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.genlab.core.GenLabException;

/**
 * How a denoiser sees the diffusion step t: the sinusoidal position encoding of the Transformer
 * (Vaswani et al., <i>Attention Is All You Need</i>, 2017, §3.5), which Ho et al. 2020 feed to
 * every residual block of the DDPM UNet. For an embedding of d dimensions (d even):
 *
 * <pre>
 *   emb(t) = [sin(t ω_0), …, sin(t ω_{d/2−1}), cos(t ω_0), …, cos(t ω_{d/2−1})]
 *   ω_i = 10000^(−i / (d/2)),   i = 0 … d/2 − 1
 * </pre>
 *
 * The sines come first, then the cosines, as in Ho et al.'s code (which divides by d/2 − 1 instead
 * of d/2: a slightly different set of frequencies, the same idea). Low i vary quickly with t, high
 * i slowly, so nearby steps get similar vectors and every step a distinct one. Use it in a block of
 * your own, then project it with a {@code Linear} layer and add it to the features:
 *
 * <pre>{@code
 * NDArray emb = TimeEmbedding.sinusoidal(t, 32);                  // (B, 32)
 * emb = Children.call(timeLinear, ps, training, emb);               // (B, C)
 * h = h.add(emb.reshape(-1, C, 1, 1));                            // added to every pixel
 * }</pre>
 */
public final class TimeEmbedding {

    private TimeEmbedding() {}

    /**
     * Embeds a batch of steps.
     *
     * @param t the steps (B), any numeric type (the samplers and the trainer pass float32)
     * @param dim d, even
     * @return (B, d) float32, in {@code t}'s manager
     */
    public static NDArray sinusoidal(NDArray t, int dim) {
        if (dim < 2 || dim % 2 != 0) {
            throw new GenLabException(
                    "The time embedding needs an even dimension ≥ 2, got " + dim + ".");
        }
        int half = dim / 2;
        NDManager m = t.getManager();
        // ω_i = exp(−ln(10000) · i / (d/2))
        NDArray freqs = m.arange(0f, half).mul((float) (-Math.log(10000.0) / half)).exp();
        // t ω_i for every step and frequency: (B, d/2)
        NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs.reshape(1, -1));
        return args.sin().concat(args.cos(), 1);
    }
}
