package org.genlab.pipelines.tokens;

import org.genlab.core.GenLabException;

/**
 * How a {@link TokenRun} draws its tokens (see {@code TokenSampler}): z_i ~ softmax(ℓ / τ) over the
 * k most likely codes, with the guided logits ℓ = ℓ_∅ + w (ℓ_c − ℓ_∅), from the engine's generator
 * seeded with {@code seed}.
 *
 * @param temperature τ ≥ 0 (1: the model's own distribution; 0: greedy)
 * @param topK k ≥ 0 (0: all codes)
 * @param guidance w (1: no classifier-free guidance)
 * @param seed the seed of the draws
 */
public record Sampling(float temperature, int topK, float guidance, long seed) {

    /** Checks the settings. */
    public Sampling {
        if (!(temperature >= 0) || Float.isInfinite(temperature) || topK < 0) {
            throw new GenLabException(
                    "Sampling needs a temperature >= 0 and top-k >= 0; got "
                            + temperature
                            + " and "
                            + topK
                            + ".");
        }
    }

    /**
     * Returns the plain settings: τ = 1, all codes, no guidance.
     *
     * @param seed the seed
     * @return the settings
     */
    public static Sampling plain(long seed) {
        return new Sampling(1f, 0, 1f, seed);
    }
}
