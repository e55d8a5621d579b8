package org.genlab.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Where a trainer gets its batches: batch number {@code index}, created in {@code manager}. The
 * batch must depend only on the index (and the run's seed), so that a resumed run sees exactly the
 * batches the uninterrupted one would have seen.
 *
 * <p>Usually {@link #shuffled}: a {@link SampleSet} visited epoch by epoch, each epoch in a fresh
 * order drawn from the seed. Write your own as a lambda, e.g. a fixed batch for a test:
 *
 * <pre>{@code
 * BatchSource fixed = (manager, index) -> new Batch(manager.randomNormal(new Shape(64, 2)), null);
 * }</pre>
 */
@FunctionalInterface
public interface BatchSource {

    /**
     * Returns a batch.
     *
     * @param manager where to create the arrays (closed after the step)
     * @param index the batch number, from 0 (one per step; a GAN with n_critic D updates per step
     *     takes n_critic of them)
     * @return the batch
     */
    Batch next(NDManager manager, long index);

    /**
     * Walks a data set in batches, in a fresh random order every epoch drawn from the seed and the
     * epoch number ({@link Batches}), dropping the last incomplete batch of each epoch.
     *
     * @param data the examples
     * @param batchSize examples per batch, between 1 and the data set's size
     * @param seed the run's seed
     * @return the source
     */
    static Shuffled shuffled(SampleSet data, int batchSize, long seed) {
        return new Shuffled(data, new Batches(data.size(), batchSize, seed));
    }

    /** The epoch-by-epoch source of {@link BatchSource#shuffled}. */
    final class Shuffled implements BatchSource {
        private final SampleSet data;
        private final Batches plan;

        private Shuffled(SampleSet data, Batches plan) {
            this.data = data;
            this.plan = plan;
        }

        @Override
        public Batch next(NDManager manager, long index) {
            int[] idx = plan.indices(index);
            NDArray labels = data.labels(manager, idx);
            // integer labels become int64; floating condition rows (B, D) pass unchanged
            return new Batch(
                    data.samples(manager, idx),
                    labels == null || labels.getDataType().isFloating()
                            ? labels
                            : labels.toType(DataType.INT64, false));
        }

        /**
         * Returns the number of batches in one epoch.
         *
         * @return ⌊N / B⌋
         */
        public long batchesPerEpoch() {
            return plan.stepsPerEpoch();
        }

        /**
         * Returns the data set this source walks.
         *
         * @return the examples
         */
        public SampleSet data() {
            return data;
        }
    }
}
