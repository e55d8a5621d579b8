package org.genlab.diffusion.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Where the trainer gets its data: one batch per step. The engine is seeded for the step before
 * this is called, so a source that draws its indices from the engine is reproducible and resumes
 * exactly.
 */
@FunctionalInterface
public interface BatchSource {

    /**
     * Returns one batch.
     *
     * @param manager the step's manager
     * @param step the step number
     * @param batchSize B
     * @return images (B, C, H, W) in [−1, 1] (or points (B, D)) and optional labels
     */
    Batch next(NDManager manager, long step, int batchSize);

    /**
     * A batch.
     *
     * @param data (B, …) float32
     * @param labels int64 (B), or {@code null}
     */
    record Batch(NDArray data, NDArray labels) {}
}
