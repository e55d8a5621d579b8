package org.genlab.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.genlab.core.GenLab;
import org.genlab.core.GenLabException;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Params;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.LossHistory;

/**
 * One file that holds a whole training run's state, written atomically.
 *
 * <p>Inside the ZIP: {@code checkpoint.properties} (format, model kind, step, seed, versions),
 * {@code config.properties} (the run's settings), {@code networks/NAME.tensors}, {@code
 * ema/NAME.tensors}, {@code optimizers/NAME.tensors} and {@code losses.csv}. Loading checks that
 * the file is whole, that it is a GenLab checkpoint, that the model kind matches, and that every
 * parameter has the name and shape the network expects; any mismatch is a {@link GenLabException}
 * that says so.
 */
public final class Checkpoint {

    /** File name of a run's checkpoint inside its run folder. */
    public static final String FILE_NAME = "checkpoint.zip";

    private static final String FORMAT = "genlab-checkpoint-1";

    private final long step;
    private final long seed;
    private final String model;
    private final Map<String, String> config;
    private final LossHistory history;

    private Checkpoint(
            long step, long seed, String model, Map<String, String> config, LossHistory history) {
        this.step = step;
        this.seed = seed;
        this.model = model;
        this.config = config;
        this.history = history;
    }

    /**
     * Saves a checkpoint atomically: the previous file stays whole until the new one is complete.
     *
     * @param file where to save, usually {@code run/checkpoint.zip}
     * @param state the networks, optimizers and EMAs
     * @param step the number of steps completed
     * @param seed the run's seed
     * @param config the run's settings
     * @param history the losses logged so far
     */
    public static void save(
            Path file,
            TrainState state,
            long step,
            long seed,
            Map<String, String> config,
            LossHistory history) {
        AtomicFiles.write(
                file,
                out -> {
                    ZipOutputStream zip = new ZipOutputStream(out);
                    Properties meta = new Properties();
                    meta.setProperty("format", FORMAT);
                    meta.setProperty("model", state.getModel());
                    meta.setProperty("step", Long.toString(step));
                    meta.setProperty("seed", Long.toString(seed));
                    meta.setProperty("genlab.version", GenLab.version());
                    meta.setProperty(
                            "created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                    meta.setProperty("networks", String.join(",", state.getNetworks().keySet()));
                    for (Map.Entry<String, Adam> e : state.getOptimizers().entrySet()) {
                        meta.setProperty(
                                "optimizer." + e.getKey() + ".t",
                                Long.toString(e.getValue().getStepCount()));
                    }
                    for (Map.Entry<String, Ema> e : state.getEmas().entrySet()) {
                        meta.setProperty(
                                "ema." + e.getKey() + ".updates",
                                Long.toString(e.getValue().getUpdateCount()));
                    }
                    putProperties(zip, "checkpoint.properties", meta);
                    Properties cfg = new Properties();
                    cfg.putAll(config);
                    putProperties(zip, "config.properties", cfg);
                    for (Map.Entry<String, Block> e : state.getNetworks().entrySet()) {
                        putTensors(zip, "networks/" + e.getKey(), Params.arrays(e.getValue()));
                    }
                    for (Map.Entry<String, Ema> e : state.getEmas().entrySet()) {
                        putTensors(zip, "ema/" + e.getKey(), e.getValue().state());
                    }
                    for (Map.Entry<String, Adam> e : state.getOptimizers().entrySet()) {
                        putTensors(zip, "optimizers/" + e.getKey(), e.getValue().state());
                    }
                    zip.putNextEntry(new ZipEntry("losses.csv"));
                    zip.write(history.toCsv().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    zip.finish();
                });
    }

    /**
     * Restores networks, optimizers and EMAs from a checkpoint.
     *
     * @param file the checkpoint
     * @param state the freshly built state to fill; its model kind and architecture must match
     * @return what else the checkpoint holds: the step, seed, configuration and loss history
     */
    public static Checkpoint load(Path file, TrainState state) {
        return read(
                file,
                zip -> {
                    Properties meta = properties(zip, file, "checkpoint.properties");
                    String model = meta.getProperty("model");
                    if (!state.getModel().equals(model)) {
                        throw new GenLabException(
                                "Checkpoint "
                                        + file
                                        + " holds a '"
                                        + model
                                        + "' model, not '"
                                        + state.getModel()
                                        + "'. Point --run at a run of this model, or start a new"
                                        + " run.");
                    }
                    NDManager scratch = NDManager.newBaseManager();
                    try {
                        for (Map.Entry<String, Block> e : state.getNetworks().entrySet()) {
                            Ema.copyInto(
                                    e.getValue(),
                                    tensors(zip, file, "networks/" + e.getKey(), scratch));
                        }
                        for (Map.Entry<String, Ema> e : state.getEmas().entrySet()) {
                            e.getValue().load(tensors(zip, file, "ema/" + e.getKey(), scratch));
                            e.getValue()
                                    .setUpdateCount(
                                            Long.parseLong(
                                                    meta.getProperty(
                                                            "ema." + e.getKey() + ".updates",
                                                            meta.getProperty("step", "0"))));
                        }
                        for (Map.Entry<String, Adam> e : state.getOptimizers().entrySet()) {
                            long t =
                                    Long.parseLong(
                                            meta.getProperty(
                                                    "optimizer." + e.getKey() + ".t", "0"));
                            e.getValue()
                                    .load(
                                            state.getNetworks().get(e.getKey()),
                                            tensors(zip, file, "optimizers/" + e.getKey(), scratch),
                                            t);
                        }
                    } finally {
                        scratch.close();
                    }
                    return summary(zip, file, meta);
                });
    }

    /**
     * Loads one network's parameters (or their EMA) for sampling, without optimizer state.
     *
     * @param file the checkpoint
     * @param model the expected model kind
     * @param network the network's name in the checkpoint, e.g. {@code G}
     * @param block a freshly built, initialised network of the same architecture
     * @param preferEma take the EMA weights when the checkpoint has them
     * @return the checkpoint's step, seed, configuration and losses
     */
    public static Checkpoint loadNetwork(
            Path file, String model, String network, Block block, boolean preferEma) {
        return read(
                file,
                zip -> {
                    Properties meta = properties(zip, file, "checkpoint.properties");
                    if (!model.equals(meta.getProperty("model"))) {
                        throw new GenLabException(
                                "Checkpoint "
                                        + file
                                        + " holds a '"
                                        + meta.getProperty("model")
                                        + "' model, not '"
                                        + model
                                        + "'.");
                    }
                    String entry =
                            preferEma && zip.getEntry("ema/" + network + ".tensors") != null
                                    ? "ema/" + network
                                    : "networks/" + network;
                    try (NDManager scratch = NDManager.newBaseManager()) {
                        Ema.copyInto(block, tensors(zip, file, entry, scratch));
                    }
                    return summary(zip, file, meta);
                });
    }

    /**
     * Reads only the checkpoint's description: step, seed, model, configuration and losses.
     *
     * @param file the checkpoint
     * @return the description
     */
    public static Checkpoint inspect(Path file) {
        return read(
                file, zip -> summary(zip, file, properties(zip, file, "checkpoint.properties")));
    }

    /**
     * Returns the number of training steps the checkpoint had completed.
     *
     * @return the step
     */
    public long getStep() {
        return step;
    }

    /**
     * Returns the run's seed.
     *
     * @return the seed
     */
    public long getSeed() {
        return seed;
    }

    /**
     * Returns the model kind.
     *
     * @return e.g. {@code dcgan}
     */
    public String getModel() {
        return model;
    }

    /**
     * Returns the run's settings.
     *
     * @return key to value, sorted
     */
    public Map<String, String> getConfig() {
        return config;
    }

    /**
     * Returns the losses logged up to the checkpoint.
     *
     * @return the history
     */
    public LossHistory getHistory() {
        return history;
    }

    private interface ZipReader<T> {
        T read(ZipFile zip) throws IOException;
    }

    private static <T> T read(Path file, ZipReader<T> reader) {
        if (Files.isDirectory(file)) {
            file = file.resolve(FILE_NAME);
        }
        if (!Files.isRegularFile(file)) {
            throw new GenLabException(
                    "No checkpoint at "
                            + file
                            + ". A run saves one every --checkpoint-every steps and at its end;"
                            + " check the --run folder.");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return reader.read(zip);
        } catch (ZipException e) {
            throw new GenLabException(
                    "Checkpoint "
                            + file
                            + " is damaged (truncated, or not a GenLab checkpoint): "
                            + e.getMessage()
                            + ". GenLab writes checkpoints atomically, so this file did not come"
                            + " from an interrupted save; restore it or start a new run.",
                    e);
        } catch (IOException e) {
            throw new GenLabException("Cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static Checkpoint summary(ZipFile zip, Path file, Properties meta) throws IOException {
        Properties cfg = properties(zip, file, "config.properties");
        Map<String, String> config = new TreeMap<>();
        cfg.forEach((k, v) -> config.put(k.toString(), v.toString()));
        ZipEntry losses = zip.getEntry("losses.csv");
        LossHistory history =
                losses == null
                        ? new LossHistory()
                        : LossHistory.fromCsv(
                                new String(
                                        zip.getInputStream(losses).readAllBytes(),
                                        StandardCharsets.UTF_8));
        try {
            return new Checkpoint(
                    Long.parseLong(meta.getProperty("step")),
                    Long.parseLong(meta.getProperty("seed")),
                    meta.getProperty("model"),
                    config,
                    history);
        } catch (NumberFormatException e) {
            throw new GenLabException("Checkpoint " + file + " has no valid step or seed.", e);
        }
    }

    private static Properties properties(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new GenLabException(
                    file + " is not a GenLab checkpoint: it has no " + name + " inside.");
        }
        Properties p = new Properties();
        try (InputStream in = zip.getInputStream(entry)) {
            p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        if ("checkpoint.properties".equals(name) && !FORMAT.equals(p.getProperty("format"))) {
            throw new GenLabException(
                    file
                            + " has checkpoint format '"
                            + p.getProperty("format")
                            + "', not "
                            + FORMAT);
        }
        return p;
    }

    private static Map<String, NDArray> tensors(
            ZipFile zip, Path file, String name, NDManager manager) throws IOException {
        ZipEntry entry = zip.getEntry(name + ".tensors");
        if (entry == null) {
            throw new GenLabException(
                    "Checkpoint "
                            + file
                            + " has no "
                            + name
                            + ": it was saved by a different model (networks: "
                            + listNetworks(zip)
                            + ").");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return TensorMaps.read(in, manager, name);
        }
    }

    private static String listNetworks(ZipFile zip) {
        StringBuilder sb = new StringBuilder();
        zip.stream()
                .map(ZipEntry::getName)
                .filter(n -> n.startsWith("networks/"))
                .forEach(
                        n ->
                                sb.append(sb.length() == 0 ? "" : ", ")
                                        .append(n, 9, n.length() - ".tensors".length()));
        return sb.toString();
    }

    private static void putProperties(ZipOutputStream zip, String name, Properties p)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        java.io.StringWriter w = new java.io.StringWriter();
        p.store(w, null);
        StringBuilder sb = new StringBuilder();
        // sorted and without the date comment: equal state gives equal entries
        w.toString()
                .lines()
                .filter(l -> !l.startsWith("#"))
                .sorted()
                .forEach(l -> sb.append(l).append('\n'));
        zip.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static void putTensors(ZipOutputStream zip, String name, Map<String, NDArray> tensors)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".tensors"));
        TensorMaps.write(zip, new LinkedHashMap<>(tensors));
        zip.closeEntry();
    }
}
