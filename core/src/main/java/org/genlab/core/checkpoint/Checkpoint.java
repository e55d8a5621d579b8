package org.genlab.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.genlab.core.GenLab;
import org.genlab.core.GenLabException;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Params;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.LossHistory;

/**
 * One file that holds a whole training run's state, written atomically, checked on every load, and
 * kept with its predecessor.
 *
 * <p>Inside the ZIP: {@code config.properties} (the run's settings), {@code networks/NAME.tensors},
 * {@code ema/NAME.tensors}, {@code optimizers/NAME.tensors}, {@code losses.csv} and, last, {@code
 * checkpoint.properties} (format, model kind, step, seed, versions, and the SHA-256 digest of every
 * other entry as {@code digest.ENTRY=hex}). Java's {@code ZipFile} does not check an entry's CRC,
 * so a flipped bit on the disk would load as different weights without a word; every load therefore
 * reads each entry whole and checks its CRC and digest before using any of them. Loading also
 * checks that the model kind matches and that every parameter has the name and shape the network
 * expects; any mismatch is a {@link GenLabException} that says so.
 *
 * <p>Each save keeps the checkpoint it replaces, if that one is whole, as {@code
 * checkpoint.prev.zip}: first a hard link (or copy) of it is renamed to that name, then the new
 * file is renamed over {@code checkpoint.zip}, so at every instant a whole {@code checkpoint.zip}
 * exists. When the latest file is missing or damaged, the loaders fall back to the previous one,
 * print one warning line to {@code System.err}, and say so through {@link #isFallback()}, {@link
 * #getFile()} and {@link #getProblem()}. Files of format {@code genlab-checkpoint-1} (before the
 * digests) still load, checked by CRC only.
 */
public final class Checkpoint {

    /** File name of a run's checkpoint inside its run folder. */
    public static final String FILE_NAME = "checkpoint.zip";

    /** File name of the checkpoint saved before the latest one, kept by {@link #save}. */
    public static final String PREVIOUS_FILE_NAME = "checkpoint.prev.zip";

    private static final String FORMAT = "genlab-checkpoint-2";
    private static final String FORMAT_1 = "genlab-checkpoint-1"; // no digests: CRC only
    private static final String META = "checkpoint.properties";
    private static final String DIGEST = "digest.";

    private final long step;
    private final long seed;
    private final String model;
    private final Map<String, String> config;
    private final LossHistory history;
    private final Path file;
    private final String problem;

    private Checkpoint(
            long step,
            long seed,
            String model,
            Map<String, String> config,
            LossHistory history,
            Path file,
            String problem) {
        this.step = step;
        this.seed = seed;
        this.model = model;
        this.config = config;
        this.history = history;
        this.file = file;
        this.problem = problem;
    }

    /**
     * Saves a checkpoint atomically: the previous file stays whole until the new one is complete,
     * and is then kept as {@link #previousFile previousFile(file)} if it is itself whole.
     *
     * @param file where to save, usually {@code run/checkpoint.zip}
     * @param state the networks, optimizers and EMAs
     * @param step the number of steps completed
     * @param seed the run's seed
     * @param config the run's settings
     * @param history the losses logged so far
     * @throws GenLabException if the file cannot be written; the latest checkpoint is then
     *     unchanged
     */
    public static void save(
            Path file,
            TrainState state,
            long step,
            long seed,
            Map<String, String> config,
            LossHistory history) {
        Path tmp =
                AtomicFiles.writeTemp(
                        file, out -> writeZip(out, state, step, seed, config, history));
        try {
            keepPrevious(file);
        } catch (RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
        AtomicFiles.moveInto(tmp, file);
    }

    private static void writeZip(
            OutputStream out,
            TrainState state,
            long step,
            long seed,
            Map<String, String> config,
            LossHistory history)
            throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        Map<String, String> digests = new TreeMap<>();
        Properties cfg = new Properties();
        cfg.putAll(config);
        putEntry(zip, "config.properties", digests, o -> store(cfg, o));
        for (Map.Entry<String, Block> e : state.getNetworks().entrySet()) {
            putTensors(zip, "networks/" + e.getKey(), digests, Params.arrays(e.getValue()));
        }
        for (Map.Entry<String, Ema> e : state.getEmas().entrySet()) {
            putTensors(zip, "ema/" + e.getKey(), digests, e.getValue().state());
        }
        for (Map.Entry<String, Adam> e : state.getOptimizers().entrySet()) {
            putTensors(zip, "optimizers/" + e.getKey(), digests, e.getValue().state());
        }
        byte[] csv = history.toCsv().getBytes(StandardCharsets.UTF_8);
        putEntry(zip, "losses.csv", digests, o -> o.write(csv));
        // last, because it lists the digests of everything before it
        Properties meta = meta(state, step, seed);
        digests.forEach((k, v) -> meta.setProperty(DIGEST + k, v));
        zip.putNextEntry(new ZipEntry(META));
        store(meta, zip);
        zip.closeEntry();
        zip.finish();
    }

    /**
     * Restores networks, optimizers and EMAs from a checkpoint, or from the previous one if the
     * latest is missing or damaged.
     *
     * @param file the checkpoint (or the run folder that holds it)
     * @param state the freshly built state to fill; its model kind and architecture must match
     * @return what else the checkpoint holds: the step, seed, configuration and loss history, and
     *     which file was read
     * @throws GenLabException if neither file is whole, or the state does not match
     */
    public static Checkpoint load(Path file, TrainState state) {
        return read(
                file,
                c -> {
                    checkModel(c, state.getModel());
                    NDManager scratch = NDManager.newBaseManager();
                    try {
                        for (Map.Entry<String, Block> e : state.getNetworks().entrySet()) {
                            Ema.copyInto(
                                    e.getValue(), tensors(c, "networks/" + e.getKey(), scratch));
                        }
                        for (Map.Entry<String, Ema> e : state.getEmas().entrySet()) {
                            e.getValue().load(tensors(c, "ema/" + e.getKey(), scratch));
                            e.getValue()
                                    .setUpdateCount(
                                            Long.parseLong(
                                                    c.meta.getProperty(
                                                            "ema." + e.getKey() + ".updates",
                                                            c.meta.getProperty("step", "0"))));
                        }
                        for (Map.Entry<String, Adam> e : state.getOptimizers().entrySet()) {
                            long t =
                                    Long.parseLong(
                                            c.meta.getProperty(
                                                    "optimizer." + e.getKey() + ".t", "0"));
                            e.getValue()
                                    .load(
                                            state.getNetworks().get(e.getKey()),
                                            tensors(c, "optimizers/" + e.getKey(), scratch),
                                            t);
                        }
                    } finally {
                        scratch.close();
                    }
                    return summary(c);
                });
    }

    /**
     * Loads one network's parameters (or their EMA) for sampling, without optimizer state, falling
     * back to the previous checkpoint as {@link #load} does.
     *
     * @param file the checkpoint (or the run folder that holds it)
     * @param model the expected model kind
     * @param network the network's name in the checkpoint, e.g. {@code G}
     * @param block a freshly built, initialised network of the same architecture
     * @param preferEma take the EMA weights when the checkpoint has them
     * @return the checkpoint's step, seed, configuration and losses, and which file was read
     */
    public static Checkpoint loadNetwork(
            Path file, String model, String network, Block block, boolean preferEma) {
        return read(
                file,
                c -> {
                    checkModel(c, model);
                    String entry =
                            preferEma && c.zip.getEntry("ema/" + network + ".tensors") != null
                                    ? "ema/" + network
                                    : "networks/" + network;
                    try (NDManager scratch = NDManager.newBaseManager()) {
                        Ema.copyInto(block, tensors(c, entry, scratch));
                    }
                    return summary(c);
                });
    }

    /**
     * Reads only the checkpoint's description: step, seed, model, configuration and losses. The
     * whole file is still checked, so this describes the file {@link #load} would read.
     *
     * @param file the checkpoint (or the run folder that holds it)
     * @return the description
     */
    public static Checkpoint inspect(Path file) {
        return read(file, Checkpoint::summary);
    }

    /**
     * Returns where the checkpoint saved before {@code file} is kept: {@code checkpoint.prev.zip}
     * beside {@code checkpoint.zip}.
     *
     * @param file a checkpoint file
     * @return its predecessor's path
     */
    public static Path previousFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String prev =
                dot > 0 ? name.substring(0, dot) + ".prev" + name.substring(dot) : name + ".prev";
        return file.resolveSibling(prev);
    }

    /**
     * Tells whether there is anything to resume from: the checkpoint or its predecessor.
     *
     * @param file a checkpoint file
     * @return true if either file exists (whether it is whole is checked when it is loaded)
     */
    public static boolean exists(Path file) {
        return Files.isRegularFile(file) || Files.isRegularFile(previousFile(file));
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

    /**
     * Returns the file that was actually read: the one asked for, or its predecessor after a
     * fallback.
     *
     * @return the file
     */
    public Path getFile() {
        return file;
    }

    /**
     * Tells whether the latest checkpoint was refused and the previous one read instead.
     *
     * @return true after a fallback
     */
    public boolean isFallback() {
        return problem != null;
    }

    /**
     * Returns why the latest checkpoint was refused, e.g. {@code run/checkpoint.zip: entry
     * networks/G.tensors is damaged (SHA-256 digest mismatch)}.
     *
     * @return the reason, or {@code null} if it was not refused
     */
    public String getProblem() {
        return problem;
    }

    /** A checkpoint file that was opened and checked whole, and why its successor was not. */
    private static final class Opened {
        final Path file;
        final ZipFile zip;
        final Properties meta;
        final String problem;

        Opened(Path file, ZipFile zip, Properties meta, String problem) {
            this.file = file;
            this.zip = zip;
            this.meta = meta;
            this.problem = problem;
        }
    }

    /** A reason to refuse a checkpoint file itself (missing, damaged, foreign), not its content. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String problem) {
            super(problem, null, false, false);
        }
    }

    private interface Reader {
        Checkpoint read(Opened c) throws IOException;
    }

    private static Checkpoint read(Path file, Reader reader) {
        if (Files.isDirectory(file) && !FILE_NAME.equals(file.getFileName().toString())) {
            file = file.resolve(FILE_NAME);
        }
        Path prev = previousFile(file);
        Opened c;
        try {
            c = open(file, null);
        } catch (Refused latest) {
            boolean missing = !Files.exists(file);
            if (!Files.exists(prev)) {
                throw new GenLabException(
                        missing
                                ? "No checkpoint at "
                                        + file
                                        + ". A run saves one every --checkpoint-every steps and"
                                        + " at its end; check the --run folder."
                                : file
                                        + ": "
                                        + latest.getMessage()
                                        + "."
                                        + (latest.getMessage().contains("damaged")
                                                ? " GenLab checked it when it saved it: it changed"
                                                        + " since, on the disk or in a copy."
                                                : "")
                                        + " There is no "
                                        + prev.getFileName()
                                        + " to fall back to: restore it from a backup, or start"
                                        + " a new run in another --run folder.");
            }
            String problem = file + ": " + latest.getMessage();
            try {
                c = open(prev, problem);
            } catch (Refused older) {
                throw new GenLabException(
                        "Neither checkpoint of the run is usable: "
                                + problem
                                + "; "
                                + prev
                                + ": "
                                + older.getMessage()
                                + ". Restore one from a backup, or start a new run in another"
                                + " --run folder.");
            }
            System.err.println(
                    "Warning: "
                            + problem
                            + "; using the previous checkpoint "
                            + prev
                            + " (step "
                            + c.meta.getProperty("step")
                            + ") instead.");
        }
        try (ZipFile zip = c.zip) {
            return reader.read(c);
        } catch (IOException e) {
            throw new GenLabException(
                    "Cannot read checkpoint " + c.file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a checkpoint and reads every entry whole, checking its CRC and, from format 2 on, its
     * SHA-256 digest, so that nothing damaged is ever half-loaded.
     */
    private static Opened open(Path file, String problem) throws Refused {
        if (!Files.isRegularFile(file)) {
            throw new Refused(Files.exists(file) ? "not a file" : "missing");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new Refused(
                    "damaged or not a checkpoint: not a whole ZIP file (" + e.getMessage() + ")");
        }
        try {
            return new Opened(file, zip, verify(zip), problem);
        } catch (Refused | RuntimeException e) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // nothing was read from it
            }
            if (e instanceof Refused) {
                throw (Refused) e;
            }
            // ZipFile throws IllegalArgumentException for a damaged entry name, for one
            throw new Refused("damaged: " + e.getMessage());
        }
    }

    private static Properties verify(ZipFile zip) throws Refused {
        ZipEntry metaEntry = zip.getEntry(META);
        if (metaEntry == null) {
            throw new Refused("no " + META + " inside: not a GenLab checkpoint");
        }
        Properties meta = new Properties();
        try {
            meta.load(
                    new StringReader(
                            new String(drain(zip, metaEntry, null), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new Refused("entry " + META + " is damaged (" + e.getMessage() + ")");
        }
        String format = meta.getProperty("format");
        boolean digests = FORMAT.equals(format);
        if (!digests && !FORMAT_1.equals(format)) {
            throw new Refused(
                    "checkpoint format '"
                            + format
                            + "' is not one this GenLab "
                            + GenLab.version()
                            + " reads ("
                            + FORMAT_1
                            + ", "
                            + FORMAT
                            + ")");
        }
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (e.isDirectory() || e.getName().equals(META)) {
                continue;
            }
            String expected = meta.getProperty(DIGEST + e.getName());
            if (digests && expected == null) {
                throw new Refused("entry " + e.getName() + " has no digest in " + META);
            }
            MessageDigest sha = digests ? sha256() : null;
            drain(zip, e, sha);
            if (digests && !expected.equals(HexFormat.of().formatHex(sha.digest()))) {
                throw new Refused("entry " + e.getName() + " is damaged (SHA-256 digest mismatch)");
            }
        }
        if (digests) {
            for (String key : meta.stringPropertyNames()) {
                if (key.startsWith(DIGEST)
                        && zip.getEntry(key.substring(DIGEST.length())) == null) {
                    throw new Refused("entry " + key.substring(DIGEST.length()) + " is missing");
                }
            }
        }
        return meta;
    }

    /**
     * Reads an entry whole and checks it against the CRC and size the ZIP records for it; returns
     * its bytes for the small {@code checkpoint.properties}, feeds the digest otherwise.
     */
    private static byte[] drain(ZipFile zip, ZipEntry e, MessageDigest sha) throws Refused {
        CRC32 crc = new CRC32();
        ByteArrayOutputStream keep = sha == null ? new ByteArrayOutputStream() : null;
        long n = 0;
        try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; n += r) {
                crc.update(buf, 0, r);
                if (sha != null) {
                    sha.update(buf, 0, r);
                } else {
                    keep.write(buf, 0, r);
                }
            }
        } catch (IOException x) {
            throw new Refused("entry " + e.getName() + " is damaged (" + x.getMessage() + ")");
        }
        if ((e.getCrc() != -1 && crc.getValue() != e.getCrc())
                || (e.getSize() != -1 && n != e.getSize())) {
            throw new Refused("entry " + e.getName() + " is damaged (CRC mismatch)");
        }
        return keep == null ? null : keep.toByteArray();
    }

    /** Keeps the checkpoint about to be replaced as its predecessor, if it is whole. */
    private static void keepPrevious(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            open(file, null).zip.close();
        } catch (Refused e) {
            // a damaged file must not push a whole predecessor out: replace it, keep the other
            System.err.println(
                    "Warning: "
                            + file
                            + ": "
                            + e.getMessage()
                            + "; replacing it and keeping "
                            + previousFile(file).getFileName()
                            + " as it is.");
            return;
        } catch (IOException ignored) {
            // closing a file that was only read
        }
        AtomicFiles.duplicate(file, previousFile(file));
    }

    private static void checkModel(Opened c, String expected) {
        String model = c.meta.getProperty("model");
        if (!expected.equals(model)) {
            throw new GenLabException(
                    "Checkpoint "
                            + c.file
                            + " holds a '"
                            + model
                            + "' model, not '"
                            + expected
                            + "'. Point --run at a run of this model, or start a new run.");
        }
    }

    private static Checkpoint summary(Opened c) throws IOException {
        Properties cfg = new Properties();
        ZipEntry cfgEntry = c.zip.getEntry("config.properties");
        if (cfgEntry != null) {
            try (InputStream in = c.zip.getInputStream(cfgEntry)) {
                cfg.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        Map<String, String> config = new TreeMap<>();
        cfg.forEach((k, v) -> config.put(k.toString(), v.toString()));
        ZipEntry losses = c.zip.getEntry("losses.csv");
        LossHistory history = new LossHistory();
        if (losses != null) {
            try (InputStream in = c.zip.getInputStream(losses)) {
                history =
                        LossHistory.fromCsv(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        try {
            return new Checkpoint(
                    Long.parseLong(c.meta.getProperty("step")),
                    Long.parseLong(c.meta.getProperty("seed")),
                    c.meta.getProperty("model"),
                    config,
                    history,
                    c.file,
                    c.problem);
        } catch (NumberFormatException e) {
            throw new GenLabException("Checkpoint " + c.file + " has no valid step or seed.", e);
        }
    }

    private static Map<String, NDArray> tensors(Opened c, String name, NDManager manager)
            throws IOException {
        ZipEntry entry = c.zip.getEntry(name + ".tensors");
        if (entry == null) {
            throw new GenLabException(
                    "Checkpoint "
                            + c.file
                            + " has no "
                            + name
                            + ": it was saved by a different model (networks: "
                            + listNetworks(c.zip)
                            + ").");
        }
        try (InputStream in = c.zip.getInputStream(entry)) {
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

    private static Properties meta(TrainState state, long step, long seed) {
        Properties meta = new Properties();
        meta.setProperty("format", FORMAT);
        meta.setProperty("model", state.getModel());
        meta.setProperty("step", Long.toString(step));
        meta.setProperty("seed", Long.toString(seed));
        meta.setProperty("genlab.version", GenLab.version());
        meta.setProperty("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.setProperty("networks", String.join(",", state.getNetworks().keySet()));
        for (Map.Entry<String, Adam> e : state.getOptimizers().entrySet()) {
            meta.setProperty(
                    "optimizer." + e.getKey() + ".t", Long.toString(e.getValue().getStepCount()));
        }
        for (Map.Entry<String, Ema> e : state.getEmas().entrySet()) {
            meta.setProperty(
                    "ema." + e.getKey() + ".updates", Long.toString(e.getValue().getUpdateCount()));
        }
        return meta;
    }

    /** Writes one entry and records the SHA-256 of its bytes under its name. */
    private static void putEntry(
            ZipOutputStream zip,
            String name,
            Map<String, String> digests,
            AtomicFiles.Writer content)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        MessageDigest sha = sha256();
        // not closed: closing would close the ZIP
        DigestOutputStream out = new DigestOutputStream(zip, sha);
        content.write(out);
        out.flush();
        zip.closeEntry();
        digests.put(name, HexFormat.of().formatHex(sha.digest()));
    }

    private static void putTensors(
            ZipOutputStream zip,
            String name,
            Map<String, String> digests,
            Map<String, NDArray> tensors)
            throws IOException {
        putEntry(
                zip,
                name + ".tensors",
                digests,
                out -> TensorMaps.write(out, new LinkedHashMap<>(tensors)));
    }

    /** Writes properties sorted and without the date comment: equal state gives equal entries. */
    private static void store(Properties p, OutputStream out) throws IOException {
        StringWriter w = new StringWriter();
        p.store(w, null);
        StringBuilder sb = new StringBuilder();
        w.toString()
                .lines()
                .filter(l -> !l.startsWith("#"))
                .sorted()
                .forEach(l -> sb.append(l).append('\n'));
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
