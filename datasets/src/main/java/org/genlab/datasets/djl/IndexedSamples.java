package org.genlab.datasets.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** A fixed, indexable collection of (data, label) samples that can be served to DJL. */
public interface IndexedSamples {

    /**
     * Returns the number of samples.
     *
     * @return the size
     */
    int size();

    /**
     * Returns the data of one sample as DJL arrays.
     *
     * @param manager the manager that owns the arrays
     * @param index the sample, {@code 0 <= index < size()}
     * @return its data, e.g. one (C,H,W) float32 image
     */
    NDList data(NDManager manager, int index);

    /**
     * Returns the label of one sample as DJL arrays.
     *
     * @param manager the manager that owns the arrays
     * @param index the sample
     * @return its label, e.g. one float32 scalar
     */
    NDList label(NDManager manager, int index);
}
