package org.genlab.core.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.checkpoint.TrainState;

/**
 * What a trainer gives the {@link TrainingLoop}: how to take one step, what to save, and how to
 * draw a picture of its progress.
 */
public interface TrainingTask {

    /**
     * Takes one optimisation step. The engine is already seeded for this step, so the noise and
     * batch it draws depend only on the run's seed and {@code step}.
     *
     * @param step the step number, from 0
     * @param manager a manager closed right after the step: create every temporary array here
     * @return the losses to log (left on the device)
     */
    Losses step(long step, NDManager manager);

    /**
     * Returns the networks, optimizers and EMAs to checkpoint.
     *
     * @return the state
     */
    TrainState state();

    /**
     * Draws samples to show progress, e.g. a grid from a fixed noise batch. The default draws
     * nothing.
     *
     * @param step the steps completed
     * @param folder the run's {@code samples/} folder
     */
    default void writeSamples(long step, Path folder) {}

    /**
     * Describes what is trained, for the run folder's {@code config.properties}: a built-in model
     * writes the settings that rebuild it, a custom network its class name (so that the CLI can say
     * that such a run is sampled from code). {@link TrainingLoop} records these entries, then the
     * loop's own {@code optConfig} entries over them.
     *
     * @return key to value (empty by default)
     */
    default Map<String, String> config() {
        return Map.of();
    }
}
