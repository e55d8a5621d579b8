package org.genlab.datasets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.genlab.core.GenLabException;
import org.genlab.core.data.SampleSet;
import org.genlab.datasets.cifar.CifarBinaryReader;
import org.genlab.datasets.djl.DjlDatasetView;
import org.genlab.datasets.idx.IdxHeader;
import org.genlab.datasets.idx.IdxImages;
import org.genlab.datasets.idx.IdxReader;

/**
 * One split of MNIST, Fashion-MNIST or CIFAR-10, held in memory as bytes and served as ready-made
 * batches.
 *
 * <pre>{@code
 * ImageDataset train = ImageDataset.builder().setName("mnist").optLimit(2048).build();
 * try (NDManager sub = manager.newSubManager()) {
 *     NDArray x = train.images(sub, batchIndices); // (N,1,28,28) float32 in [-1,1]
 * }
 * }</pre>
 *
 * <p>Pixels are kept as one {@code byte[]} in (N,C,H,W) order — the full CIFAR-10 training set is
 * 150 MiB — and turned into floats only for the batch asked for: {@link #images} fills one {@code
 * float[]} and makes one tensor with a single {@code manager.create}, which is what a training loop
 * on DJL wants (per-op overhead, not arithmetic, is DJL's cost). The scaling is {@code x = v/127.5
 * - 1}, so 0 maps to -1 and 255 to 1. The data set is fetched on first use if it is not in the
 * cache, and the split's files are checked against their official checksums before they are read
 * ({@link DatasetRegistry#verifyFast}: a file unchanged since it was last verified is not read
 * twice), so a run never trains on damaged data.
 */
public final class ImageDataset implements SampleSet {

    private static final float[] SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            SCALE[v] = v / 127.5f - 1f;
        }
    }

    private final DatasetSpec spec;
    private final Split split;
    private final Path dataDir;
    private final int size;
    private final byte[] pixels;
    private final byte[] labels;
    private final boolean randomFlip;
    private final Random random;

    private ImageDataset(Builder b, int size, byte[] pixels, byte[] labels) {
        this.spec = b.spec;
        this.split = b.split;
        this.dataDir = DatasetRegistry.resolve(b.dataDir);
        this.size = size;
        this.pixels = pixels;
        this.labels = labels;
        this.randomFlip = b.randomFlip;
        this.random = new Random(b.seed);
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns which data set this is.
     *
     * @return its description
     */
    public DatasetSpec spec() {
        return spec;
    }

    /**
     * Returns which split this is.
     *
     * @return train or test
     */
    public Split split() {
        return split;
    }

    /**
     * Returns the data folder this split was read from (it holds {@code <name>/}, and whatever is
     * derived from the data, such as the caption bins under {@code captions/}).
     *
     * @return the data folder
     */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Returns the number of channels.
     *
     * @return 1 (grey) or 3 (RGB)
     */
    public int channels() {
        return spec.channels();
    }

    /**
     * Returns the image height.
     *
     * @return 28 or 32
     */
    public int height() {
        return spec.height();
    }

    /**
     * Returns the image width.
     *
     * @return 28 or 32
     */
    public int width() {
        return spec.width();
    }

    /**
     * Returns the number of classes of the data set (10, also when a class filter is set).
     *
     * @return 10
     */
    public int numClasses() {
        return spec.classNames().size();
    }

    /**
     * Returns the class names, by label.
     *
     * @return ten names
     */
    public List<String> classNames() {
        return spec.classNames();
    }

    /**
     * Returns the label of one image.
     *
     * @param i the image, {@code 0 <= i < size()}
     * @return its class, 0..9
     */
    public int label(int i) {
        return labels[Math.toIntExact(checkIndex(i))] & 0xFF;
    }

    /**
     * Returns one raw pixel value.
     *
     * @param i the image
     * @param c the channel
     * @param y the row
     * @param x the column
     * @return the stored value, 0..255
     */
    public int pixel(int i, int c, int y, int x) {
        int h = height();
        int w = width();
        return pixels[((checkIndex(i) * channels() + c) * h + y) * w + x] & 0xFF;
    }

    /**
     * Counts the images of each class.
     *
     * @return ten counts, by label
     */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int i = 0; i < size; i++) {
            counts[labels[i] & 0xFF]++;
        }
        return counts;
    }

    /**
     * Returns the mean and standard deviation of each channel on the [0,1] scale, over the whole
     * data set (no flips).
     *
     * @return {@code [channel][0 = mean, 1 = std]}
     */
    public double[][] channelMeanStd() {
        int c = channels();
        int plane = height() * width();
        long[][] hist = new long[c][256];
        for (int i = 0; i < size; i++) {
            for (int ch = 0; ch < c; ch++) {
                int off = (i * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    hist[ch][pixels[off + p] & 0xFF]++;
                }
            }
        }
        double[][] out = new double[c][2];
        for (int ch = 0; ch < c; ch++) {
            double n = 0;
            double s = 0;
            double s2 = 0;
            for (int v = 0; v < 256; v++) {
                double x = v / 255.0;
                n += hist[ch][v];
                s += hist[ch][v] * x;
                s2 += hist[ch][v] * x * x;
            }
            double mean = s / n;
            out[ch][0] = mean;
            out[ch][1] = Math.sqrt(Math.max(0, s2 / n - mean * mean));
        }
        return out;
    }

    /**
     * Returns a batch of images: {@link #images}, the {@link SampleSet} way.
     *
     * @param manager the manager that owns the tensor
     * @param indices which images, in batch order
     * @return (N, C, H, W) float32 in [-1, 1]
     */
    @Override
    public NDArray samples(NDManager manager, int[] indices) {
        return images(manager, indices);
    }

    /**
     * Makes one batch of images: an (N,C,H,W) float32 tensor with values {@code v/127.5 - 1} in
     * [-1,1], built from one {@code float[]} with a single {@code manager.create}. If random
     * flipping is on, each image is mirrored left-right with probability 1/2.
     *
     * @param manager the manager that owns the tensor (use a per-step sub-manager)
     * @param indices which images, in batch order
     * @return the batch
     */
    public NDArray images(NDManager manager, int[] indices) {
        int c = channels();
        int h = height();
        int w = width();
        int item = c * h * w;
        float[] buf = new float[indices.length * item];
        for (int j = 0; j < indices.length; j++) {
            int src = checkIndex(indices[j]) * item;
            int dst = j * item;
            if (randomFlip && random.nextBoolean()) {
                for (int row = 0; row < c * h; row++) {
                    int s = src + row * w;
                    int d = dst + row * w + w - 1;
                    for (int x = 0; x < w; x++) {
                        buf[d - x] = SCALE[pixels[s + x] & 0xFF];
                    }
                }
            } else {
                for (int k = 0; k < item; k++) {
                    buf[dst + k] = SCALE[pixels[src + k] & 0xFF];
                }
            }
        }
        return manager.create(buf, new Shape(indices.length, c, h, w));
    }

    /**
     * Makes the labels of one batch: an (N) int32 tensor of class indices.
     *
     * @param manager the manager that owns the tensor
     * @param indices which images, in batch order
     * @return the labels, int32
     */
    @Override
    public NDArray labels(NDManager manager, int[] indices) {
        int[] buf = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            buf[j] = labels[checkIndex(indices[j])] & 0xFF;
        }
        return manager.create(buf, new Shape(indices.length));
    }

    /**
     * Wraps this data set as a DJL {@link ai.djl.training.dataset.RandomAccessDataset} serving
     * records (image (C,H,W) float32 in [-1,1], label float32 scalar).
     *
     * @param batchSize the batch size
     * @param shuffle whether to visit the images in random order each epoch
     * @return the DJL dataset
     */
    public DjlDatasetView toDjlDataset(int batchSize, boolean shuffle) {
        return DjlDatasetView.builder().setSamples(this).setSampling(batchSize, shuffle).build();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(
                    "image " + i + " of " + spec.name() + " " + split + " (size " + size + ")");
        }
        return i;
    }

    /** Configures and loads an {@link ImageDataset}. */
    public static final class Builder {

        private DatasetSpec spec;
        private Split split = Split.TRAIN;
        private Path dataDir;
        private boolean[] classes;
        private int limit = Integer.MAX_VALUE;
        private boolean randomFlip;
        private long seed = 42;
        private boolean fetch = true;
        private PrintStream log = System.err;

        private Builder() {}

        /**
         * Sets the data set (required): {@code mnist}, {@code fashion-mnist} or {@code cifar10}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder setName(String name) {
            this.spec = DatasetSpec.byName(name);
            return this;
        }

        /**
         * Sets the split (default train).
         *
         * @param split train or test
         * @return this builder
         */
        public Builder optSplit(Split split) {
            this.split = split;
            return this;
        }

        /**
         * Sets the data folder (default {@link org.genlab.core.GenLabHome#dataDir()}).
         *
         * @param dataDir the folder holding {@code <name>/}
         * @return this builder
         */
        public Builder optDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Keeps only images of the given classes (default all).
         *
         * @param labels class indices 0..9
         * @return this builder
         */
        public Builder optClasses(int... labels) {
            boolean[] keep = new boolean[10];
            for (int l : labels) {
                if (l < 0 || l >= 10) {
                    throw new GenLabException("Class " + l + " does not exist: use 0..9");
                }
                keep[l] = true;
            }
            this.classes = labels.length == 0 ? null : keep;
            return this;
        }

        /**
         * Keeps only the first {@code n} images (after the class filter), in file order: a small,
         * fixed subset for quick CPU runs and CI.
         *
         * @param n how many images at most
         * @return this builder
         */
        public Builder optLimit(int n) {
            if (n < 1) {
                throw new GenLabException("limit must be at least 1, got " + n);
            }
            this.limit = n;
            return this;
        }

        /**
         * Mirrors each image of a batch left-right with probability 1/2 (default off; meant for
         * CIFAR-10 — digits should not be flipped).
         *
         * @param flip whether to flip
         * @return this builder
         */
        public Builder optRandomFlip(boolean flip) {
            this.randomFlip = flip;
            return this;
        }

        /**
         * Seeds the random flips (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether to fetch the data set if the cache lacks it (default true).
         *
         * @param fetch true to fetch on first use
         * @return this builder
         */
        public Builder optFetch(boolean fetch) {
            this.fetch = fetch;
            return this;
        }

        /**
         * Where fetch progress goes (default {@code System.err}; {@code null} for silence).
         *
         * @param log the stream
         * @return this builder
         */
        public Builder optLog(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * Loads the split into memory, fetching the data set first if needed and checking the
         * split's files against their checksums before reading them.
         *
         * @return the data set
         * @throws GenLabException if the data cannot be obtained or a file is missing or damaged
         *     (the message of {@code genlab datasets verify})
         */
        public ImageDataset build() {
            if (spec == null) {
                throw new GenLabException(
                        "ImageDataset needs setName(..): mnist, fashion-mnist or cifar10");
            }
            Path dir = DatasetRegistry.resolve(dataDir);
            if (fetch && !DatasetRegistry.status(spec, dir).present()) {
                DatasetRegistry.fetch(spec.name(), dir, log);
            }
            DatasetRegistry.verifyFast(spec.name(), split, dir);
            Path folder = dir.resolve(spec.name());
            try {
                return spec.format() == DatasetFormat.IDX ? loadIdx(folder) : loadCifar(folder);
            } catch (GenLabException e) {
                // reached only if a file changed without its size or time changing
                throw new GenLabException(
                        e.getMessage() + "; run: genlab datasets verify " + spec.name(), e);
            }
        }

        private ImageDataset loadIdx(Path folder) {
            List<DataFile> files = spec.files(split);
            Path imagesFile = folder.resolve(files.get(0).name());
            Path labelsFile = folder.resolve(files.get(1).name());
            byte[] all = IdxReader.readLabels(labelsFile, numClasses());
            IdxHeader h = IdxReader.header(imagesFile, 3);
            if (h.count() != all.length) {
                throw new GenLabException(
                        imagesFile
                                + " holds "
                                + h.count()
                                + " images but "
                                + labelsFile
                                + " holds "
                                + all.length
                                + " labels");
            }
            if (h.rows() != spec.height() || h.cols() != spec.width()) {
                throw new GenLabException(
                        imagesFile
                                + " holds "
                                + h.rows()
                                + "x"
                                + h.cols()
                                + " images, expected "
                                + spec.height()
                                + "x"
                                + spec.width());
            }
            boolean[] keep = new boolean[all.length];
            int kept = select(all, keep, 0);
            IdxImages images = IdxReader.readImages(imagesFile, keep);
            return new ImageDataset(this, kept, images.pixels(), pick(all, keep, kept));
        }

        private ImageDataset loadCifar(Path folder) {
            List<Path> batches =
                    spec.files(split).stream().map(f -> folder.resolve(f.name())).toList();
            CifarBinaryReader.checkBatchCount(
                    batches, split == Split.TRAIN ? 5 : 1, split.name().toLowerCase());
            boolean[][] keep = new boolean[batches.size()][];
            byte[][] batchLabels = new byte[batches.size()][];
            int kept = 0;
            for (int b = 0; b < batches.size(); b++) {
                batchLabels[b] = CifarBinaryReader.readLabels(batches.get(b));
                keep[b] = new boolean[batchLabels[b].length];
                kept += select(batchLabels[b], keep[b], kept);
            }
            byte[] pixels = new byte[Math.multiplyExact(kept, CifarBinaryReader.IMAGE_BYTES)];
            byte[] labels = new byte[kept];
            int out = 0;
            for (int b = 0; b < batches.size(); b++) {
                if (noneKept(keep[b])) {
                    continue;
                }
                byte[] l = pick(batchLabels[b], keep[b], -1);
                System.arraycopy(l, 0, labels, out, l.length);
                out +=
                        CifarBinaryReader.readImages(
                                batches.get(b),
                                keep[b],
                                pixels,
                                out * CifarBinaryReader.IMAGE_BYTES);
            }
            return new ImageDataset(this, kept, pixels, labels);
        }

        private int numClasses() {
            return spec.classNames().size();
        }

        /** Marks the images to keep; returns how many were marked. */
        private int select(byte[] labels, boolean[] keep, int alreadyKept) {
            int n = 0;
            for (int i = 0; i < labels.length && alreadyKept + n < limit; i++) {
                if (classes == null || classes[labels[i] & 0xFF]) {
                    keep[i] = true;
                    n++;
                }
            }
            return n;
        }

        private static boolean noneKept(boolean[] keep) {
            for (boolean k : keep) {
                if (k) {
                    return false;
                }
            }
            return true;
        }

        private static byte[] pick(byte[] labels, boolean[] keep, int count) {
            int n = count;
            if (n < 0) {
                n = 0;
                for (boolean k : keep) {
                    n += k ? 1 : 0;
                }
            }
            byte[] out = new byte[n];
            int j = 0;
            for (int i = 0; i < labels.length; i++) {
                if (keep[i]) {
                    out[j++] = labels[i];
                }
            }
            return Arrays.copyOf(out, j);
        }
    }
}
