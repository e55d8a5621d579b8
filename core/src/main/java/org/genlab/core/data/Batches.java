package org.genlab.core.data;

import java.util.SplittableRandom;
import org.genlab.core.GenLabException;
import org.genlab.core.runtime.Seeds;

/**
 * Which examples make up the batch of each training step: every epoch visits the data set in a
 * fresh random order, and the order depends only on the run's seed and the epoch number. So the
 * batch of step {@code s} is known from {@code s} alone, and a resumed run sees the same batches as
 * the uninterrupted one.
 *
 * <pre>{@code
 * Batches batches = new Batches(dataset.size(), 128, seed);
 * int[] idx = batches.indices(step);      // 128 example indices
 * long epoch = batches.epochOf(step);
 * }</pre>
 */
public final class Batches {

    private final int size;
    private final int batchSize;
    private final long seed;
    private final long stepsPerEpoch;
    private long cachedEpoch = -1;
    private int[] order;

    /**
     * Plans batches over a data set. The last partial batch of each epoch is dropped.
     *
     * @param size the number of examples
     * @param batchSize examples per batch (at most {@code size})
     * @param seed the run's seed
     */
    public Batches(int size, int batchSize, long seed) {
        if (batchSize < 1 || size < batchSize) {
            throw new GenLabException(
                    "Batch size "
                            + batchSize
                            + " does not fit a data set of "
                            + size
                            + " examples: use --batch between 1 and "
                            + size
                            + ".");
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
        this.stepsPerEpoch = size / batchSize;
    }

    /**
     * Returns the number of full batches in one pass over the data.
     *
     * @return steps per epoch
     */
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Returns the epoch a step belongs to.
     *
     * @param step the step, from 0
     * @return the epoch, from 0
     */
    public long epochOf(long step) {
        return step / stepsPerEpoch;
    }

    /**
     * Returns the example indices of a step's batch.
     *
     * @param step the step, from 0
     * @return {@code batchSize} distinct indices
     */
    public synchronized int[] indices(long step) {
        long epoch = epochOf(step);
        if (epoch != cachedEpoch) {
            order = permutation(epoch);
            cachedEpoch = epoch;
        }
        int from = (int) ((step % stepsPerEpoch) * batchSize);
        int[] out = new int[batchSize];
        System.arraycopy(order, from, out, 0, batchSize);
        return out;
    }

    private int[] permutation(long epoch) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.forStep(seed ^ 0x5DEECE66DL, epoch));
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
