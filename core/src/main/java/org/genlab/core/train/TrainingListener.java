package org.genlab.core.train;

import java.nio.file.Path;
import java.util.Map;

/** Hears what the {@link TrainingLoop} does. Every method does nothing by default. */
public interface TrainingListener {

    /**
     * Called when losses are read from the device (every {@code logEvery} steps).
     *
     * @param step the steps completed
     * @param losses name to value
     */
    default void onLog(long step, Map<String, Float> losses) {}

    /**
     * Called after a checkpoint is saved.
     *
     * @param step the steps completed
     * @param file the checkpoint
     */
    default void onCheckpoint(long step, Path file) {}

    /**
     * Called when the loop ends, normally or not.
     *
     * @param step the steps completed
     * @param history the losses logged
     */
    default void onEnd(long step, LossHistory history) {}
}
