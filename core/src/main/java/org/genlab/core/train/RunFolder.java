package org.genlab.core.train;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
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

    /** Settings a resumed run may change: they do not make it a different model or path. */
    static final java.util.Set<String> MAY_CHANGE =
            java.util.Set.of(
                    "steps",
                    "stepsPerEpoch",
                    "device",
                    "items",
                    "batch",
                    "lr",
                    "lrSchedule",
                    "lrDecaySteps",
                    "ema",
                    "emaDecay",
                    "labelDropout",
                    "gradientClip",
                    "seed",
                    "initFrom");

    private final Path dir;
    private final Map<String, String> pending = new java.util.LinkedHashMap<>();

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Names a run folder to train into, with the run's settings. Nothing is written yet: the folder
     * is created and {@code config.properties} written when training begins ({@link #begin}), after
     * the flags are checked, the model is built and, on a resume, the checkpoint is loaded, so a
     * command that fails leaves an existing run exactly as it was.
     *
     * @param dir the folder
     * @param config the settings, including the seed
     * @return the run folder
     */
    public static RunFolder create(Path dir, Map<String, String> config) {
        RunFolder run = new RunFolder(dir);
        run.pending.putAll(config);
        return run;
    }

    /**
     * Names a run folder whose settings are filled in by the {@link TrainingLoop} from the
     * trainer's {@link TrainingTask#config()}. Nothing is written until training begins.
     *
     * @param dir the folder
     * @return the run folder
     */
    public static RunFolder create(Path dir) {
        return new RunFolder(dir);
    }

    /**
     * Checks, without writing anything, that training may write into a folder: a folder that
     * already holds a run is only continued ({@code resume}) or replaced ({@code overwrite}) when
     * asked for, {@code resume} needs a checkpoint to continue, and the folder must be writable.
     *
     * @param dir the run folder
     * @param resume true to continue the run's checkpoint
     * @param overwrite true to replace the run the folder holds
     * @throws GenLabException saying what is wrong and which flag to use
     */
    public static void checkTrainable(Path dir, boolean resume, boolean overwrite) {
        if (resume && overwrite) {
            throw new GenLabException(
                    "Give --resume (continue the run) or --overwrite (replace it), not both.");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new GenLabException(
                    "--run " + dir + " is a file, not a folder: choose a folder for the run.");
        }
        RunFolder run = new RunFolder(dir);
        if (resume && !run.hasAnyCheckpoint()) {
            throw new GenLabException(
                    Files.isDirectory(dir)
                            ? "--resume: "
                                    + dir
                                    + " has no checkpoint to continue. Drop --resume to start a"
                                    + " new run there (with --overwrite if it holds settings)."
                            : "--resume: there is no run at "
                                    + dir
                                    + ". Drop --resume to start one, or check the path.");
        }
        if (!resume && !overwrite && run.holdsRun()) {
            throw new GenLabException(
                    dir
                            + " already holds a run"
                            + run.describe()
                            + ". Add --resume to continue it, --overwrite to replace it, or"
                            + " choose another --run folder.");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw new GenLabException(
                    "Cannot write the run folder "
                            + dir
                            + ": permission denied on "
                            + existing
                            + ". Choose a folder you can write (--run), or fix its permissions.");
        }
    }

    /**
     * Tells whether the folder holds a GenLab run: settings or a checkpoint.
     *
     * @return true if training there would replace something
     */
    public boolean holdsRun() {
        return Files.isRegularFile(dir.resolve("config.properties")) || hasAnyCheckpoint();
    }

    private boolean hasAnyCheckpoint() {
        return hasCheckpoint();
    }

    /** ", a dcgan at step 280" or "" when the checkpoint cannot be read. */
    private String describe() {
        try {
            Checkpoint cp = Checkpoint.inspect(checkpointFile());
            return " (" + cp.getModel() + " at step " + cp.getStep() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Starts writing the run: creates the folder and {@code samples/}, removes what an earlier run
     * left when {@code overwrite} (its checkpoints, losses, settings and samples; nothing else),
     * and writes the settings. Called by the {@link TrainingLoop} once everything that can fail
     * before training has been checked.
     *
     * @param config the settings to record (merged over those already in the folder, unless
     *     overwriting)
     * @param overwrite true to replace a run the folder holds
     */
    public void begin(Map<String, String> config, boolean overwrite) {
        try {
            if (overwrite) {
                for (String f :
                        new String[] {
                            Checkpoint.FILE_NAME,
                            Checkpoint.PREVIOUS_FILE_NAME,
                            "config.properties",
                            "losses.csv",
                            "losses.png"
                        }) {
                    Files.deleteIfExists(dir.resolve(f));
                }
                if (Files.isDirectory(samplesDir())) {
                    try (var files = Files.list(samplesDir())) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            if (Files.isRegularFile(f)) {
                                Files.delete(f);
                            }
                        }
                    }
                }
            }
            Files.createDirectories(samplesDir());
            // what saves killed mid-write left (kill -9, power loss); ten minutes old at least, in
            // case another process still writes here
            AtomicFiles.cleanStale(dir);
        } catch (IOException e) {
            throw new GenLabException(
                    "Cannot prepare the run folder "
                            + dir
                            + ": "
                            + e
                            + ". Check that the disk has space and the folder is writable.",
                    e);
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(pending);
        all.putAll(config);
        mergeConfig(all);
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
        RunFolder run = new RunFolder(dir);
        run.checkConfigMatchesCheckpoint();
        return run;
    }

    /**
     * Refuses settings that say something else than the checkpoint they describe (an edited {@code
     * config.properties} with another T or schedule would otherwise sample silently wrong).
     */
    private void checkConfigMatchesCheckpoint() {
        if (!hasCheckpoint()) {
            return;
        }
        Map<String, String> trained = Checkpoint.inspect(checkpointFile()).getConfig();
        for (Map.Entry<String, String> e : config().entrySet()) {
            String was = trained.get(e.getKey());
            if (was != null && !MAY_CHANGE.contains(e.getKey()) && !was.equals(e.getValue())) {
                throw new GenLabException(
                        dir.resolve("config.properties")
                                + " says "
                                + e.getKey()
                                + "="
                                + e.getValue()
                                + ", but the checkpoint was trained with "
                                + e.getKey()
                                + "="
                                + was
                                + ". Restore the setting (the checkpoint's is the truth), or train"
                                + " a new run.");
            }
        }
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
     * @return true if {@code checkpoint.zip} or the previous one, {@code checkpoint.prev.zip},
     *     exists
     */
    public boolean hasCheckpoint() {
        return Checkpoint.exists(checkpointFile());
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
        } catch (IOException | IllegalArgumentException e) {
            throw new GenLabException(
                    "Cannot read "
                            + dir.resolve("config.properties")
                            + ": "
                            + e.getMessage()
                            + ". Restore the file, or train the run again.",
                    e);
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
            throw new GenLabException("Cannot record the run's settings: " + e.getMessage(), e);
        }
        AtomicFiles.writeString(dir.resolve("config.properties"), w.toString());
    }
}
