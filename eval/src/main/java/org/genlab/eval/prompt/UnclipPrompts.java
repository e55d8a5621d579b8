package org.genlab.eval.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import org.genlab.pipelines.unclip.UnClip;

/**
 * unCLIP as a {@link PromptDrawer} (Ramesh et al. 2022): prompt → CLIP text embedding → prior →
 * image embedding → decoder, so prompt accuracy measures the prior and the decoder together.
 */
public final class UnclipPrompts implements PromptDrawer {

    private final UnClip unclip;
    private final long seed;
    private long calls;

    /**
     * Wraps an opened unCLIP pipeline.
     *
     * @param unclip prior + decoder
     * @param seed the first seed (each call adds two)
     */
    public UnclipPrompts(UnClip unclip, long seed) {
        this.unclip = unclip;
        this.seed = seed;
    }

    @Override
    public String label() {
        return String.format(
                Locale.ROOT,
                "%s prior, decoder w = %.1f",
                unclip.prior().kind(),
                unclip.decoder().guidance());
    }

    @Override
    public float guidance() {
        return unclip.decoder().guidance();
    }

    @Override
    public NDArray draw(List<String> prompts, NDManager manager) {
        return unclip.sample(prompts, seed + 2 * calls++, manager);
    }
}
