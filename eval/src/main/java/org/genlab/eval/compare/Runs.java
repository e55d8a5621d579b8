package org.genlab.eval.compare;

import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.core.train.RunFolder;

/** Checks shared by the runs of models trained from code. */
final class Runs {

    private Runs() {}

    /** Refuses a network of another class than the one the run recorded. */
    static void checkClass(RunFolder folder, String recorded, Object given, String what) {
        if (recorded != null && !recorded.equals(given.getClass().getName())) {
            throw new GenLabException(
                    "Run "
                            + folder.dir()
                            + " trained a "
                            + what
                            + " of class "
                            + recorded
                            + ", not "
                            + given.getClass().getName()
                            + ": pass the network it was trained with.");
        }
    }

    /** Reads a shape written as {@code (1, 28, 28)}. */
    static Shape shape(RunFolder folder, String text) {
        if (text == null) {
            throw new GenLabException(
                    "Run "
                            + folder.dir()
                            + " records no sampleShape: it was not trained by GenLab.");
        }
        String[] parts = text.replaceAll("[()\\s]", "").split(",");
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Long.parseLong(parts[i]);
        }
        return new Shape(dims);
    }
}
