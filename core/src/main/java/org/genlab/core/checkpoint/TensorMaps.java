package org.genlab.core.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes a named set of tensors: a magic word, a count, then for each tensor its name and
 * DJL's own encoding of the array (shape, type and data).
 */
public final class TensorMaps {

    private static final int MAGIC = 0x474C544D; // "GLTM"
    private static final int VERSION = 1;

    private TensorMaps() {}

    /**
     * Writes tensors.
     *
     * @param out the stream (left open)
     * @param tensors name to tensor, written in map order
     * @throws IOException if writing fails
     */
    public static void write(OutputStream out, Map<String, NDArray> tensors) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            byte[] bytes = e.getValue().encode();
            data.writeUTF(e.getKey());
            data.writeInt(bytes.length);
            data.write(bytes);
        }
        data.flush();
    }

    /**
     * Reads tensors written by {@link #write}.
     *
     * @param in the stream
     * @param manager where the tensors are created (and so their device)
     * @param what names the content in error messages, e.g. {@code "networks/G"}
     * @return name to tensor, in file order
     * @throws IOException if the stream is not a tensor map or ends early
     */
    public static Map<String, NDArray> read(InputStream in, NDManager manager, String what)
            throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException(what + " is not a GenLab tensor file");
        }
        int version = data.readInt();
        if (version != VERSION) {
            throw new IOException(
                    what + " has format version " + version + ", expected " + VERSION);
        }
        int n = data.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException(what + " claims " + n + " tensors");
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = data.readUTF();
            int len = data.readInt();
            if (len < 0) {
                throw new IOException(what + ": tensor " + name + " has a negative length");
            }
            byte[] bytes = data.readNBytes(len);
            if (bytes.length != len) {
                throw new IOException(what + ": tensor " + name + " is cut short");
            }
            // DJL decodes into a tensor that borrows a Java buffer; a clone owns its memory, so
            // nothing written to it later (Adam's moments are updated in place) can land in a
            // buffer the garbage collector has freed
            try (NDArray borrowed = NDArray.decode(manager, bytes)) {
                NDArray owned = borrowed.duplicate();
                owned.attach(manager);
                out.put(name, owned);
            }
        }
        return out;
    }
}
