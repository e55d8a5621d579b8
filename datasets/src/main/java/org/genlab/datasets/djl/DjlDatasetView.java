package org.genlab.datasets.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import org.genlab.core.data.SampleSet;

/**
 * A DJL {@link RandomAccessDataset} over any {@link SampleSet}. Build it with {@link
 * #builder()}{@code .setSamples(s).setSampling(batchSize, shuffle).build()}, or through the
 * samples' own {@code toDjlDataset(batchSize, shuffle)}.
 */
public final class DjlDatasetView extends RandomAccessDataset {

    private final SampleSet samples;

    private DjlDatasetView(Builder builder) {
        super(builder);
        this.samples = builder.samples;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the samples this view serves.
     *
     * @return the samples
     */
    public SampleSet samples() {
        return samples;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        int[] one = {i};
        NDArray x = samples.samples(manager, one);
        NDArray y = samples.labels(manager, one);
        // a label as a float32 scalar, as DJL's own MNIST and CIFAR-10 data sets serve it, so
        // that DJL's losses and accuracy evaluators accept it (0 for unlabelled data)
        float label = y == null ? 0f : y.toType(DataType.FLOAT32, false).getFloat(0);
        return new Record(new NDList(x.squeeze(0)), new NDList(manager.create(label)));
    }

    @Override
    protected long availableSize() {
        return samples.size();
    }

    @Override
    public void prepare(Progress progress) {
        // the samples are already in memory
    }

    /** Builds a {@link DjlDatasetView}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private SampleSet samples;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the samples to serve (required).
         *
         * @param samples the samples
         * @return this builder
         */
        public Builder setSamples(SampleSet samples) {
            this.samples = samples;
            return this;
        }

        /**
         * Builds the view.
         *
         * @return the dataset
         */
        public DjlDatasetView build() {
            if (samples == null) {
                throw new IllegalArgumentException("setSamples(..) is required");
            }
            return new DjlDatasetView(this);
        }
    }
}
