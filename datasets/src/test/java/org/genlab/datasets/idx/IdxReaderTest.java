package org.genlab.datasets.idx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir Path dir;

    static byte[] images(int magic, int count, int rows, int cols, int bodyBytes)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        d.writeInt(count);
        d.writeInt(rows);
        d.writeInt(cols);
        for (int i = 0; i < bodyBytes; i++) {
            d.writeByte(i % 251);
        }
        return b.toByteArray();
    }

    static byte[] labels(int count, byte... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(IdxReader.LABELS_MAGIC);
        d.writeInt(count);
        d.write(values);
        return b.toByteArray();
    }

    Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    Path writeGz(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
        return p;
    }

    @Test
    void readsRawAndGzipIdentically() throws IOException {
        byte[] img = images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 12);
        IdxImages raw = IdxReader.readImages(write("img", img));
        IdxImages gz = IdxReader.readImages(writeGz("img.gz", img));
        assertThat(raw.count()).isEqualTo(3);
        assertThat(raw.rows()).isEqualTo(2);
        assertThat(raw.pixels()).isEqualTo(gz.pixels()).hasSize(12);
        assertThat(raw.pixels()[5]).isEqualTo((byte) 5);
    }

    @Test
    void keepSelectsImages() throws IOException {
        Path p = write("img", images(IdxReader.IMAGES_MAGIC, 3, 1, 2, 6));
        IdxImages kept = IdxReader.readImages(p, new boolean[] {false, true, true});
        assertThat(kept.count()).isEqualTo(2);
        assertThat(kept.pixels()).containsExactly(2, 3, 4, 5);
    }

    @Test
    void truncatedImageFile() throws IOException {
        Path p = write("img", images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 11));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessage(
                        p
                                + " claims 3 images of 2x2 bytes = 12 bytes but holds only 11"
                                + " bytes: the file is truncated or not an IDX file");
    }

    @Test
    void truncatedGzip() throws IOException {
        byte[] img = images(IdxReader.IMAGES_MAGIC, 100, 28, 28, 78400);
        Path full = writeGz("full.gz", img);
        byte[] gz = Files.readAllBytes(full);
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(cut))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(cut.toString());
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = write("img", new byte[] {0, 0, 8, 3, 0, 0});
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void extraBytesAreAnError() throws IOException {
        Path p = write("img", images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 13));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("extra bytes");
    }

    @Test
    void wrongMagic() throws IOException {
        Path p = write("img", images(0x12345678, 3, 2, 2, 12));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("magic number 0x12345678");
    }

    @Test
    void labelFileGivenAsImages() throws IOException {
        Path p = write("lbl", labels(2, (byte) 1, (byte) 2));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("rank 1");
    }

    @Test
    void implausibleDimensions() throws IOException {
        Path p = write("img", images(IdxReader.IMAGES_MAGIC, 1, 0, 28, 0));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("0x28");
    }

    @Test
    void labelsOutOfRange() throws IOException {
        Path p = write("lbl", labels(3, (byte) 1, (byte) 10, (byte) 2));
        assertThatThrownBy(() -> IdxReader.readLabels(p, 10))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("label 10 at index 1");
    }

    @Test
    void labelCountDisagreesWithFile() throws IOException {
        Path p = write("lbl", labels(5, (byte) 1, (byte) 2));
        assertThatThrownBy(() -> IdxReader.readLabels(p, 10))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("claims 5 labels of 1 byte = 5 bytes but holds only 2");
    }

    @Test
    void headerClaiming2To31ItemsInASmallFileAllocatesNothing() throws IOException {
        // 2^31 as an unsigned dimension, and 2^31 - 1 (new byte[count] would not fit in any heap)
        for (int count : new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            String n = Long.toString(count & 0xFFFFFFFFL);
            Path p = write("lbl", labels(count, (byte) 1, (byte) 2, (byte) 3));
            assertThatThrownBy(() -> IdxReader.readLabels(p, 10))
                    .isInstanceOf(GenLabException.class)
                    .hasMessage(
                            p
                                    + " claims "
                                    + n
                                    + " labels of 1 byte = "
                                    + n
                                    + " bytes but holds only 3 bytes: the file is truncated or"
                                    + " not an IDX file");
            Path img = write("img", images(IdxReader.IMAGES_MAGIC, count, 28, 28, 784));
            assertThatThrownBy(() -> IdxReader.readImages(img))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageStartingWith(img + " claims " + n + " images of 28x28 bytes = ")
                    .hasMessageEndingWith(
                            "but holds only 784 bytes: the file is truncated or not an IDX file");
            assertThatThrownBy(() -> IdxReader.header(img, 3)).hasMessageContaining(" claims ");
            Path gz = writeGz("lbl.gz", labels(count, (byte) 1));
            assertThatThrownBy(() -> IdxReader.readLabels(gz, 10))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining(
                            "holds only 1 bytes (uncompressed, by its gzip trailer): the file is"
                                    + " truncated");
        }
    }

    @Test
    void zeroItemsIsAnError() throws IOException {
        Path p = write("lbl", labels(0));
        assertThatThrownBy(() -> IdxReader.readLabels(p, 10))
                .isInstanceOf(GenLabException.class)
                .hasMessage(
                        p
                                + ": the IDX header claims 0 items: the file is empty or not an IDX file");
    }

    @Test
    void absurdImageSide() throws IOException {
        Path p = write("img", images(IdxReader.IMAGES_MAGIC, 1, 28, -1, 0));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(GenLabException.class)
                .hasMessage(p + ": implausible image size 28x4294967295 in IDX header");
    }

    @Test
    void directoryInPlaceOfAFile() throws IOException {
        Path d = Files.createDirectories(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> IdxReader.readLabels(d, 10))
                .isInstanceOf(GenLabException.class)
                .hasMessage(d + " is a directory, not an IDX file");
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path p = write("img", images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 12));
        assertThatThrownBy(() -> IdxReader.readImages(p, new boolean[4]))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("holds 3 images")
                .hasMessageContaining("4 labels");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope");
        assertThatThrownBy(() -> IdxReader.readLabels(p, 10))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("not found");
    }
}
