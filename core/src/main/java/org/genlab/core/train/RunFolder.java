package org.genlab.core.train;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;
import org.genlab.core.checkpoint.Checkpoint;

/**
 * The folder one training run writes: its settings and seed ({@code config.properties}), its
 * checkpoint ({@code checkpoint.zip}), its losses ({@code losses.csv}, {@code losses.png}) and its
 * pictures ({@code samples/}).
 */
public final class RunFolder {

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates (or reuses) a run folder and records the run's settings in it.
     *
     * @param dir the folder
     * @param config the settings, including the seed
     * @return the run folder
     */
    public static RunFolder create(Path dir, Map<String, String> config) {
        try {
            Files.createDirectories(dir.resolve("samples"));
        } catch (IOException e) {
            throw new GenLabException("Cannot create run folder " + dir + ": " + e.getMessage(), e);
        }
        RunFolder run = new RunFolder(dir);
        run.writeConfig(config);
        return run;
    }

    /**
     * Creates a run folder (or reuses an existing one) whose settings are filled in by the {@link
     * TrainingLoop} from the trainer's {@link TrainingTask#config()}.
     *
     * @param dir the folder
     * @return the run folder
     */
    public static RunFolder create(Path dir) {
        Map<String, String> existing = new java.util.LinkedHashMap<>();
        if (Files.isRegularFile(dir.resolve("config.properties"))) {
            existing.putAll(new RunFolder(dir).config());
        }
        return create(dir, existing);
    }

    /**
     * Opens an existing run folder.
     *
     * @param dir the folder
     * @return the run folder
     * @throws GenLabException if the folder does not exist or is not a GenLab run
     */
    public static RunFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new GenLabException(
                    "No run folder at " + dir + ". Train first, or pass the folder a run wrote.");
        }
        if (!Files.isRegularFile(dir.resolve("config.properties"))) {
            throw new GenLabException(
                    dir + " is not a GenLab run folder: it has no config.properties.");
        }
        return new RunFolder(dir);
    }

    /**
     * Returns the folder.
     *
     * @return the path
     */
    public Path dir() {
        return dir;
    }

    /**
     * Returns where the checkpoint is saved.
     *
     * @return {@code checkpoint.zip}
     */
    public Path checkpointFile() {
        return dir.resolve(Checkpoint.FILE_NAME);
    }

    /**
     * Tells whether the run has saved a checkpoint.
     *
     * @return true if {@code checkpoint.zip} exists
     */
    public boolean hasCheckpoint() {
        return Files.isRegularFile(checkpointFile());
    }

    /**
     * Returns the folder for sample grids and animations.
     *
     * @return {@code samples/}
     */
    public Path samplesDir() {
        return dir.resolve("samples");
    }

    /**
     * Returns the loss table.
     *
     * @return {@code losses.csv}
     */
    public Path lossesCsv() {
        return dir.resolve("losses.csv");
    }

    /**
     * Returns the loss chart.
     *
     * @return {@code losses.png}
     */
    public Path lossChart() {
        return dir.resolve("losses.png");
    }

    /**
     * Reads the run's settings.
     *
     * @return key to value, sorted
     */
    public Map<String, String> config() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(dir.resolve("config.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    /**
     * Adds settings to {@code config.properties}, keeping the entries already there unless a new
     * value replaces them.
     *
     * @param entries key to value
     */
    public void mergeConfig(Map<String, String> entries) {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        if (Files.isRegularFile(dir.resolve("config.properties"))) {
            all.putAll(config());
        }
        all.putAll(entries);
        writeConfig(all);
    }

    private void writeConfig(Map<String, String> config) {
        Properties p = new Properties();
        p.putAll(config);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "GenLab run settings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(dir.resolve("config.properties"), w.toString());
    }
}
