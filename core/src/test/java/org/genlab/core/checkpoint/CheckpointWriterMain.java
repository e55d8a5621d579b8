package org.genlab.core.checkpoint;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.testing.TinyTask;
import org.genlab.core.train.LossHistory;

/**
 * A child program for the atomicity test: saves a large checkpoint over and over, printing the step
 * after each save completes, until it is killed.
 */
public final class CheckpointWriterMain {

    private CheckpointWriterMain() {}

    /**
     * Runs the writer.
     *
     * @param args the checkpoint file
     */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask task = new TinyTask(m, 7, 4096, -1);
            for (long step = 1; ; step++) {
                Checkpoint.save(file, task.state(), step, 7, Map.of("k", "v"), new LossHistory());
                System.out.println("saved " + step);
                System.out.flush();
            }
        }
    }
}
