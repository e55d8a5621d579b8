package org.genlab.datasets.djl;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

/**
 * A DJL {@link RandomAccessDataset} over any {@link IndexedSamples}. Build it with {@link
 * #builder()}{@code .setSamples(s).setSampling(batchSize, shuffle).build()}, or through the
 * samples' own {@code toDjlDataset(batchSize, shuffle)}.
 */
public final class DjlDatasetView extends RandomAccessDataset {

    private final IndexedSamples samples;

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
    public IndexedSamples samples() {
        return samples;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        return new Record(samples.data(manager, i), samples.label(manager, i));
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

        private IndexedSamples samples;

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
        public Builder setSamples(IndexedSamples samples) {
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
