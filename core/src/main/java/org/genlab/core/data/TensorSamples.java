package org.genlab.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;

/** A {@link SampleSet} over arrays in memory: {@link SampleSet#of}. */
final class TensorSamples implements SampleSet {

    private final NDArray samples;
    private final NDArray labels;
    private final int n;

    TensorSamples(NDArray samples, NDArray labels) {
        if (samples == null || samples.getShape().dimension() < 2) {
            throw new GenLabException(
                    "SampleSet.of needs samples shaped (N, ...), got "
                            + (samples == null ? "null" : samples.getShape())
                            + ".");
        }
        long count = samples.getShape().get(0);
        long labelRows =
                labels == null
                        ? count
                        : labels.getShape().dimension() == 2
                                ? labels.getShape().get(0)
                                : labels.getShape().size();
        if (labelRows != count) {
            throw new GenLabException(
                    "SampleSet.of: " + count + " samples but " + labelRows + " labels.");
        }
        this.samples = samples;
        // class labels (N) stay an int64 vector; a row per sample (N, L) stays a matrix: integer
        // rows (a caption's token ids) become int64, floating rows (an embedding, e.g. unCLIP's
        // CLIP image embedding) are kept as they are
        this.labels =
                labels == null
                        ? null
                        : labels.getShape().dimension() != 2
                                ? labels.toType(DataType.INT64, false).reshape(-1)
                                : labels.getDataType().isFloating()
                                        ? labels
                                        : labels.toType(DataType.INT64, false);
        this.n = (int) count;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public NDArray samples(NDManager manager, int[] indices) {
        NDArray idx = index(manager, indices);
        long d = samples.getShape().size() / n;
        // flat indices i·d + j, in int64 throughout: in float32 they round to multiples of 4
        // above 2^25, and MNIST has 47 M pixels
        NDArray offsets = manager.arange(0, (int) d, 1, DataType.INT64).reshape(1, d);
        NDArray flat = idx.mul(manager.create(d)).reshape(indices.length, 1).add(offsets);
        return samples.take(manager, flat)
                .reshape(new Shape(indices.length).addAll(samples.getShape().slice(1)));
    }

    @Override
    public NDArray labels(NDManager manager, int[] indices) {
        if (labels == null) {
            return null;
        }
        if (labels.getShape().dimension() == 2) {
            long l = labels.getShape().get(1);
            NDArray idx = index(manager, indices);
            NDArray offsets = manager.arange(0, (int) l, 1, DataType.INT64).reshape(1, l);
            NDArray flat = idx.mul(manager.create(l)).reshape(indices.length, 1).add(offsets);
            return labels.take(manager, flat).reshape(indices.length, l);
        }
        return labels.take(manager, index(manager, indices));
    }

    @Override
    public SampleSet inMemory(NDManager manager) {
        return this;
    }

    private NDArray index(NDManager manager, int[] indices) {
        long[] idx = new long[indices.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = indices[i];
        }
        return manager.create(idx).toDevice(samples.getDevice(), false);
    }
}
