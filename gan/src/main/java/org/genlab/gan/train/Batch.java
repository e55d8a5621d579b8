package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;

/**
 * One batch of real samples.
 *
 * @param samples (N, C, H, W) images in [-1, 1], or (N, 2) points
 * @param labels (N) class labels, or null for unlabelled data
 */
public record Batch(NDArray samples, NDArray labels) {}
