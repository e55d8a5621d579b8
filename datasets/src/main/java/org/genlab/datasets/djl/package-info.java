/**
 * A bridge to DJL's own data pipeline.
 *
 * <p>GenLab's trainers take whole batches straight from {@link org.genlab.datasets.ImageDataset}
 * (one tensor per batch, no per-record overhead). Users of DJL's {@code EasyTrain} and {@code
 * Trainer.iterateDataset} want a {@link ai.djl.training.dataset.RandomAccessDataset} instead:
 * {@link org.genlab.datasets.djl.DjlDatasetView} wraps any {@link org.genlab.core.data.SampleSet} —
 * images or 2D toy points — as one, serving (data, label) records that DJL batches and shuffles.
 */
package org.genlab.datasets.djl;
