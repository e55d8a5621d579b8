package org.genlab.datasets;

import java.util.List;
import java.util.Locale;
import org.genlab.core.GenLabException;

/**
 * Everything GenLab knows about one data set before it has a byte of it: the files, their sizes and
 * checksums, the image shape and the class names. The three data sets GenLab knows are {@link
 * #MNIST}, {@link #FASHION_MNIST} and {@link #CIFAR10}.
 *
 * <p>Checksums are those of the uncompressed official files (see {@code DESIGN.md}): for the IDX
 * data sets the gunzipped IDX files, for CIFAR-10 the six binary batches inside {@code
 * cifar-10-binary.tar.gz}. Checking the uncompressed content makes every channel comparable, since
 * re-compressed copies differ in their gzip headers only.
 *
 * @param name the name used on the command line and as the cache folder, e.g. {@code mnist}
 * @param description one line for {@code genlab datasets list}
 * @param format how the files are laid out
 * @param channels image channels (1 or 3)
 * @param height image height in pixels
 * @param width image width in pixels
 * @param classNames the names of the ten classes, by label
 * @param files the files of the data set, as kept in the cache
 */
public record DatasetSpec(
        String name,
        String description,
        DatasetFormat format,
        int channels,
        int height,
        int width,
        List<String> classNames,
        List<DataFile> files) {

    private static final long IDX_TRAIN_IMAGES = 47_040_016L;
    private static final long IDX_TRAIN_LABELS = 60_008L;
    private static final long IDX_TEST_IMAGES = 7_840_016L;
    private static final long IDX_TEST_LABELS = 10_008L;
    private static final long CIFAR_BATCH = 30_730_000L;

    /** LeCun, Cortes and Burges' handwritten digits: 28x28 grey, 60,000 train, 10,000 test. */
    public static final DatasetSpec MNIST =
            new DatasetSpec(
                    "mnist",
                    "MNIST handwritten digits, 28x28 grey, 60,000 train / 10,000 test",
                    DatasetFormat.IDX,
                    1,
                    28,
                    28,
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                    List.of(
                            new DataFile(
                                    "train-images-idx3-ubyte",
                                    IDX_TRAIN_IMAGES,
                                    "6bbc9ace898e44ae57da46a324031adb"),
                            new DataFile(
                                    "train-labels-idx1-ubyte",
                                    IDX_TRAIN_LABELS,
                                    "a25bea736e30d166cdddb491f175f624"),
                            new DataFile(
                                    "t10k-images-idx3-ubyte",
                                    IDX_TEST_IMAGES,
                                    "2646ac647ad5339dbf082846283269ea"),
                            new DataFile(
                                    "t10k-labels-idx1-ubyte",
                                    IDX_TEST_LABELS,
                                    "27ae3e4e09519cfbb04c329615203637")));

    /** Zalando's Fashion-MNIST: clothing in the MNIST format, 6,000 train images per class. */
    public static final DatasetSpec FASHION_MNIST =
            new DatasetSpec(
                    "fashion-mnist",
                    "Zalando Fashion-MNIST clothing, 28x28 grey, 60,000 train / 10,000 test",
                    DatasetFormat.IDX,
                    1,
                    28,
                    28,
                    List.of(
                            "T-shirt/top",
                            "Trouser",
                            "Pullover",
                            "Dress",
                            "Coat",
                            "Sandal",
                            "Shirt",
                            "Sneaker",
                            "Bag",
                            "Ankle boot"),
                    List.of(
                            new DataFile(
                                    "train-images-idx3-ubyte",
                                    IDX_TRAIN_IMAGES,
                                    "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
                            new DataFile(
                                    "train-labels-idx1-ubyte",
                                    IDX_TRAIN_LABELS,
                                    "9018921c3c673c538a1fc5bad174d6f9"),
                            new DataFile(
                                    "t10k-images-idx3-ubyte",
                                    IDX_TEST_IMAGES,
                                    "8181f5470baa50b63fa0f6fddb340f0a"),
                            new DataFile(
                                    "t10k-labels-idx1-ubyte",
                                    IDX_TEST_LABELS,
                                    "15d484375f8d13e6eb1aabb0c3f46965")));

    /** Krizhevsky's CIFAR-10: 32x32 colour photos of ten classes, 50,000 train, 10,000 test. */
    public static final DatasetSpec CIFAR10 =
            new DatasetSpec(
                    "cifar10",
                    "CIFAR-10 photos, 32x32 RGB, 10 classes, 50,000 train / 10,000 test",
                    DatasetFormat.CIFAR_BINARY,
                    3,
                    32,
                    32,
                    List.of(
                            "airplane",
                            "automobile",
                            "bird",
                            "cat",
                            "deer",
                            "dog",
                            "frog",
                            "horse",
                            "ship",
                            "truck"),
                    List.of(
                            new DataFile(
                                    "data_batch_1.bin",
                                    CIFAR_BATCH,
                                    "5dd7e06a14cb22eb9f671a540d1b7c25"),
                            new DataFile(
                                    "data_batch_2.bin",
                                    CIFAR_BATCH,
                                    "5ea93a67294ea407fff1d09f752e9692"),
                            new DataFile(
                                    "data_batch_3.bin",
                                    CIFAR_BATCH,
                                    "942cd6a4bcdd0dd3c604fbe906cb4421"),
                            new DataFile(
                                    "data_batch_4.bin",
                                    CIFAR_BATCH,
                                    "ae636b3ba5c66a11e91e8cb52e771fcb"),
                            new DataFile(
                                    "data_batch_5.bin",
                                    CIFAR_BATCH,
                                    "53f37980c15c3d472c316c40844f3f0d"),
                            new DataFile(
                                    "test_batch.bin",
                                    CIFAR_BATCH,
                                    "803d5f7f4d78ea53de84dbe85f74fb6d")));

    /** Makes the lists unmodifiable. */
    public DatasetSpec {
        classNames = List.copyOf(classNames);
        files = List.copyOf(files);
    }

    /**
     * Returns every data set GenLab knows, in the order {@code genlab datasets list} shows them.
     *
     * @return MNIST, Fashion-MNIST, CIFAR-10
     */
    public static List<DatasetSpec> all() {
        return List.of(MNIST, FASHION_MNIST, CIFAR10);
    }

    /**
     * Finds a data set by name (case-insensitive; {@code fashion}, {@code fashion_mnist} and {@code
     * cifar-10} are accepted too).
     *
     * @param name the name
     * @return its description
     * @throws GenLabException if GenLab does not know the name
     */
    public static DatasetSpec byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (n) {
            case "mnist":
                return MNIST;
            case "fashion-mnist":
            case "fashion":
            case "fashionmnist":
                return FASHION_MNIST;
            case "cifar10":
            case "cifar-10":
                return CIFAR10;
            default:
                throw new GenLabException(
                        "Unknown data set '"
                                + name
                                + "'. Known data sets: mnist, fashion-mnist, cifar10.");
        }
    }

    /**
     * Returns the files that hold one split.
     *
     * @param split train or test
     * @return for IDX: the image file then the label file; for CIFAR-10: the batches in order
     */
    public List<DataFile> files(Split split) {
        if (format == DatasetFormat.IDX) {
            return split == Split.TRAIN ? files.subList(0, 2) : files.subList(2, 4);
        }
        return split == Split.TRAIN ? files.subList(0, 5) : files.subList(5, 6);
    }

    /**
     * Returns the number of images in a split.
     *
     * @param split train or test
     * @return 60,000 / 50,000 for train, 10,000 for test
     */
    public int count(Split split) {
        if (split == Split.TEST) {
            return 10_000;
        }
        return format == DatasetFormat.IDX ? 60_000 : 50_000;
    }
}
