package org.genlab.bench.work;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.genlab.bench.Timer;
import org.genlab.core.train.Losses;
import org.genlab.core.train.TrainingTask;

/**
 * A trainer's step as timed work: each run takes one {@link TrainingTask#step} in a manager closed
 * right after it, as {@link org.genlab.core.train.TrainingLoop} does; a synced run copies the
 * losses to the host (the loop's logging does the same every few steps).
 */
public abstract class TrainingWork implements Timer.Work, AutoCloseable {

    private final NDManager manager;
    private TrainingTask task;

    /**
     * Takes ownership of the manager that will hold the networks.
     *
     * @param manager the long-lived manager (closed by {@link #close()})
     */
    protected TrainingWork(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Sets the trainer, once it is built.
     *
     * @param task the trainer
     */
    protected void setTask(TrainingTask task) {
        this.task = task;
    }

    @Override
    public void run(long index, boolean sync) {
        try (NDManager sub = manager.newSubManager()) {
            Losses losses = task.step(index, sub);
            if (sync) {
                losses.toFloats();
            }
        }
    }

    /**
     * Returns the trainable parameters of the networks the step trains, by network, as the report
     * lists them (the PyTorch reference counts its own, and the two must match).
     *
     * @return network name → scalars in parameters that require a gradient
     */
    public abstract Map<String, Long> parameters();

    /**
     * Returns the manager holding the networks, optimizer state and EMA (for leak checks).
     *
     * @return the long-lived manager
     */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
