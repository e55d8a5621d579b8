package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.genlab.core.GenLabException;

/**
 * Where the trainer gets its real samples: batch number {@code index} created in {@code manager}.
 * Any data set fits behind it; {@link #shuffled} walks an indexed data set epoch by epoch.
 */
@FunctionalInterface
public interface BatchSource {

    /**
     * Returns a batch.
     *
     * @param manager where to create the arrays (closed after the step)
     * @param index the batch number, from 0 (increases by one per D update)
     * @return the batch
     */
    Batch next(NDManager manager, long index);

    /** A data set that can give any samples by index, e.g. MNIST. */
    interface Indexed {

        /**
         * Returns the number of samples.
         *
         * @return the size
         */
        int size();

        /**
         * Returns the samples at the indices.
         *
         * @param manager where to create the array
         * @param indices the indices
         * @return (N, ...) samples
         */
        NDArray samples(NDManager manager, int[] indices);

        /**
         * Returns the labels at the indices, or null when unlabelled.
         *
         * @param manager where to create the array
         * @param indices the indices
         * @return (N) labels or null
         */
        NDArray labels(NDManager manager, int[] indices);
    }

    /**
     * Walks a data set in batches, in a fresh random order every epoch (seeded by the seed and the
     * epoch, so a resumed run sees the same batches), dropping the last incomplete batch.
     *
     * @param data the data
     * @param batchSize samples per batch
     * @param seed the shuffling seed
     * @return the source
     */
    static BatchSource shuffled(Indexed data, int batchSize, long seed) {
        int n = data.size();
        if (batchSize < 1 || batchSize > n) {
            throw new GenLabException(
                    "Batch size must be between 1 and the data set size ("
                            + n
                            + "), got "
                            + batchSize
                            + ".");
        }
        int perEpoch = n / batchSize;
        return new BatchSource() {
            private long cachedEpoch = -1;
            private int[] order;

            @Override
            public Batch next(NDManager manager, long index) {
                long epoch = index / perEpoch;
                if (epoch != cachedEpoch) {
                    order = permutation(n, seed * 1_000_003L + epoch);
                    cachedEpoch = epoch;
                }
                int start = (int) (index % perEpoch) * batchSize;
                int[] idx = java.util.Arrays.copyOfRange(order, start, start + batchSize);
                NDArray labels = data.labels(manager, idx);
                return new Batch(
                        data.samples(manager, idx),
                        labels == null ? null : labels.toType(DataType.INT32, false));
            }
        };
    }

    /**
     * Returns the number of batches in one epoch of {@link #shuffled}.
     *
     * @param size the data set size
     * @param batchSize samples per batch
     * @return batches per epoch
     */
    static long batchesPerEpoch(int size, int batchSize) {
        return Math.max(1, size / batchSize);
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
