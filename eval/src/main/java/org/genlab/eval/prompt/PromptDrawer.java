package org.genlab.eval.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Any text-to-image model, seen from the outside: prompts in, one image per prompt out. A
 * text-conditional diffusion run ({@link DiffusionPrompts}), the autoregressive token transformer
 * (with or without CLIP re-ranking) and unCLIP's prior + decoder all fit, so {@link PromptAccuracy}
 * measures them with one yardstick.
 */
public interface PromptDrawer {

    /**
     * Names the sampler in reports, e.g. {@code Euler-50, w = 3}.
     *
     * @return the label
     */
    String label();

    /**
     * Returns the classifier-free guidance weight w the drawer uses (0 when it does not guide).
     *
     * @return w
     */
    float guidance();

    /**
     * Draws one image per prompt.
     *
     * @param prompts the prompts, in the model's vocabulary
     * @param manager where the images go
     * @return (N, C, H, W) in [−1, 1], N = prompts.size()
     */
    NDArray draw(List<String> prompts, NDManager manager);
}
