package org.genlab.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.guidance.NoisyClassifier;
import org.genlab.diffusion.guidance.NoisyClassifierTrainer;

/**
 * Where a diffusion run keeps the noise-aware classifier of classifier guidance ({@code
 * RUN/noisy-classifier}, written by {@code genlab train noisy-classifier}) and how it is rebuilt.
 */
final class GuidanceClassifiers {

    /** The sub-folder of a diffusion run that holds its noisy classifier. */
    static final String FOLDER = "noisy-classifier";

    private GuidanceClassifiers() {}

    static Path folder(Path run) {
        return run.resolve(FOLDER);
    }

    /** A classifier as the settings describe it, initialised for samples of this shape. */
    static NoisyClassifier build(
            NDManager m, int classes, int width, int depth, int emb, Shape sampleShape) {
        NoisyClassifier clf =
                NoisyClassifier.builder()
                        .setNumClasses(classes)
                        .optWidth(width)
                        .optDepth(depth)
                        .optTimeEmbedding(emb)
                        .build();
        clf.initialize(m, DataType.FLOAT32, new Shape(2).addAll(sampleShape), new Shape(2));
        return clf;
    }

    /** Loads the run's trained classifier, or says in one line how to train it. */
    static NoisyClassifier load(Path run, NDManager m, Shape sampleShape) {
        Path dir = folder(run);
        if (!RunFolder.open(run)
                .dir()
                .resolve(FOLDER)
                .resolve("checkpoint.zip")
                .toFile()
                .isFile()) {
            throw new GenLabException(
                    "Classifier guidance needs a noise-aware classifier for this run: train one"
                            + " with `genlab train noisy-classifier --run "
                            + run
                            + "`.");
        }
        Map<String, String> c = RunFolder.open(dir).config();
        try {
            NoisyClassifier clf =
                    build(
                            m,
                            Integer.parseInt(c.get("classes")),
                            Integer.parseInt(c.get("width")),
                            Integer.parseInt(c.get("depth")),
                            Integer.parseInt(c.get("timeEmbedding")),
                            sampleShape);
            Checkpoint.loadNetwork(
                    dir.resolve("checkpoint.zip"),
                    NoisyClassifierTrainer.MODEL,
                    NoisyClassifierTrainer.NETWORK,
                    clf,
                    false);
            return clf;
        } catch (NumberFormatException | NullPointerException e) {
            throw new GenLabException(
                    dir + "/config.properties does not describe a noisy classifier: retrain it.",
                    e);
        }
    }
}
