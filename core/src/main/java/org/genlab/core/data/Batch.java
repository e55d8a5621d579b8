package org.genlab.core.data;

import ai.djl.ndarray.NDArray;

/**
 * One batch of training examples.
 *
 * @param samples (B, C, H, W) images in [-1, 1], or (B, D) points
 * @param labels (B) int64 class labels, (B, L) int64 token ids, (B, D) float condition rows, or
 *     {@code null} for unlabelled data
 */
public record Batch(NDArray samples, NDArray labels) {

    /**
     * Returns the batch size B.
     *
     * @return the number of examples
     */
    public long size() {
        return samples.getShape().get(0);
    }
}
