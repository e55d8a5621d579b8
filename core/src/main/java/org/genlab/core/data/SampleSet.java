package org.genlab.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A fixed data set that gives any of its examples by index: MNIST ({@code ImageDataset}), a 2D toy
 * ({@code ToyDataset}), tensors already in memory ({@link #of}), or a student's own. It is the one
 * data abstraction every GenLab trainer reads, through a {@link BatchSource}:
 *
 * <pre>{@code
 * SampleSet mnist = ImageDataset.builder().setName("mnist").build();
 * BatchSource batches = BatchSource.shuffled(mnist, 64, seed);   // a new order every epoch
 * }</pre>
 *
 * <p>To write your own, implement the three methods; the arrays go to the manager given (the
 * trainer closes it after the step).
 */
public interface SampleSet {

    /**
     * Returns the number of examples N.
     *
     * @return N
     */
    int size();

    /**
     * Returns the examples at the indices, stacked.
     *
     * @param manager where to create the array
     * @param indices indices in [0, N)
     * @return (B, C, H, W) float32 images in [-1, 1], or (B, D) points
     */
    NDArray samples(NDManager manager, int[] indices);

    /**
     * Returns the class labels at the indices.
     *
     * @param manager where to create the array
     * @param indices indices in [0, N)
     * @return (B) labels (any integer type), or (B, L) rows of integers per sample (a caption's
     *     token ids), or (B, D) float rows per sample (a condition vector, e.g. a CLIP image
     *     embedding), or {@code null} when the data is unlabelled
     */
    NDArray labels(NDManager manager, int[] indices);

    /**
     * Wraps arrays already in memory (on the device they live on). Each batch is then one gather on
     * the device, which is how the diffusion trainer reads MNIST.
     *
     * @param samples (N, …) float32, kept open by the caller
     * @param labels (N) integer labels, (N, L) integer rows (token ids), (N, D) float rows (kept
     *     float: a condition vector), or {@code null}
     * @return the set
     */
    static SampleSet of(NDArray samples, NDArray labels) {
        return new TensorSamples(samples, labels);
    }

    /**
     * Copies the whole set into one array on a manager's device (e.g. 60,000 MNIST digits are 188
     * MB): from then on a batch costs one gather instead of a host-to-device copy.
     *
     * @param manager where the arrays live (keep it open while training)
     * @return the same examples, in memory
     */
    default SampleSet inMemory(NDManager manager) {
        int[] all = new int[size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return of(samples(manager, all), labels(manager, all));
    }
}
