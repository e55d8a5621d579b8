package org.genlab.core.train;

import org.genlab.core.GenLabException;

/**
 * A run stopped because a loss became NaN, infinite or exploded. The last good checkpoint is kept.
 */
public class TrainingDivergedException extends GenLabException {

    private static final long serialVersionUID = 1L;

    private final long step;

    /**
     * Creates the error.
     *
     * @param message what happened and what to do
     * @param step the step at which it was seen
     */
    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /**
     * Returns the step at which the divergence was seen.
     *
     * @return the steps completed
     */
    public long getStep() {
        return step;
    }
}
