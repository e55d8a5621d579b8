package org.genlab.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.TensorMaps;
import org.genlab.core.nn.Params;

/**
 * Copies weights into a network by value. A stop-gap for a core bug: {@code Ema.copyInto} (used by
 * {@code Ema.copyTo}, {@code Checkpoint.load} and {@code Checkpoint.loadNetwork}) calls {@code
 * target.set(source.toByteBuffer())}; on the PyTorch CPU engine that makes the target tensor use
 * the source's memory, which is then closed — a use-after-free (random NaN, "corrupted
 * double-linked list", SIGSEGV on resume). Here every copy goes through {@code set(NDIndex,
 * NDArray)}, an engine-side copy.
 */
public final class SafeWeights {

    private SafeWeights() {}

    /**
     * Copies values into the network's parameters, in place.
     *
     * @param block the network
     * @param values parameter name to value (same shapes)
     */
    public static void copyInto(Block block, Map<String, NDArray> values) {
        for (Map.Entry<String, Parameter> e : Params.named(block).entrySet()) {
            NDArray v = values.get(e.getKey());
            if (v == null) {
                throw new GenLabException(
                        "No saved value for parameter '"
                                + e.getKey()
                                + "': the checkpoint is from another model or size.");
            }
            NDArray w = e.getValue().getArray();
            if (!v.getShape().equals(w.getShape())) {
                throw new GenLabException(
                        "Parameter '"
                                + e.getKey()
                                + "' is saved with shape "
                                + v.getShape()
                                + " but the network has "
                                + w.getShape()
                                + ".");
            }
            w.set(new NDIndex("..."), v.toDevice(w.getDevice(), false));
        }
    }

    /**
     * Loads one network of a checkpoint (its EMA weights if asked and present).
     *
     * @param file the checkpoint
     * @param network the network's name in it
     * @param block an initialised network of the same architecture
     * @param preferEma whether to take the EMA weights
     */
    public static void loadNetwork(Path file, String network, Block block, boolean preferEma) {
        try (ZipFile zip = new ZipFile(file.toFile());
                NDManager scratch = NDManager.newBaseManager()) {
            ZipEntry entry = preferEma ? zip.getEntry("ema/" + network + ".tensors") : null;
            if (entry == null) {
                entry = zip.getEntry("networks/" + network + ".tensors");
            }
            if (entry == null) {
                throw new GenLabException(
                        file + " has no network '" + network + "': it is not a diffusion run.");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                copyInto(block, TensorMaps.read(in, scratch, entry.getName()));
            }
        } catch (IOException e) {
            throw new GenLabException("Cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }
}
