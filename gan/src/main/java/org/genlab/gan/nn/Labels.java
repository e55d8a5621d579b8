package org.genlab.gan.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Class-label helpers shared by conditional generators and projection discriminators. */
final class Labels {

    private Labels() {}

    /**
     * Looks up the embedding rows of the labels: one-hot(y) · E, so the lookup is differentiable in
     * E.
     *
     * @param labels (N) class indices, any numeric type
     * @param table (K, E) embedding table
     * @param numClasses K
     * @return (N, E)
     */
    static NDArray embed(NDArray labels, NDArray table, int numClasses) {
        NDArray y = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray oneHot = y.oneHot(numClasses).toType(table.getDataType(), false);
        return oneHot.matMul(table);
    }
}
