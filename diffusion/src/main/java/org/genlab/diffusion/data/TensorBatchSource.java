package org.genlab.diffusion.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link BatchSource} over a data set held as one tensor on the device: each step draws B indices
 * uniformly with replacement from the (seeded) engine and gathers them in one op.
 */
public final class TensorBatchSource implements BatchSource {

    private final NDArray data;
    private final NDArray labels;

    /**
     * Wraps tensors (kept open by the caller).
     *
     * @param data (N, …) float32
     * @param labels int64 (N) or {@code null}
     */
    public TensorBatchSource(NDArray data, NDArray labels) {
        this.data = data;
        this.labels = labels == null ? null : labels.toType(DataType.INT64, false);
    }

    /**
     * Returns N.
     *
     * @return the number of items
     */
    public long size() {
        return data.getShape().get(0);
    }

    @Override
    public Batch next(NDManager manager, long step, int batchSize) {
        NDArray idx = manager.randomInteger(0, size(), new Shape(batchSize), DataType.INT64);
        long d = data.getShape().size() / size();
        // flat indices i·d + j, in int64 throughout: in float32 (what arange(float, float) makes)
        // they round to multiples of 4 above 2^25, and MNIST has 47 M pixels
        NDArray offsets = manager.arange(0, (int) d, 1, DataType.INT64).reshape(1, d);
        NDArray flat = idx.mul(manager.create(d)).reshape(batchSize, 1).add(offsets);
        NDArray x =
                data.take(manager, flat)
                        .reshape(new Shape(batchSize).addAll(data.getShape().slice(1)));
        NDArray y = labels == null ? null : labels.take(manager, idx);
        return new Batch(x, y);
    }
}
