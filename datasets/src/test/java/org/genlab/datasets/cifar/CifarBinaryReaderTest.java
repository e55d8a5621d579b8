package org.genlab.datasets.cifar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {

    @TempDir Path dir;

    static byte[] batch() {
        byte[] b = new byte[(int) CifarBinaryReader.BATCH_BYTES];
        for (int i = 0; i < CifarBinaryReader.RECORDS_PER_BATCH; i++) {
            int o = i * CifarBinaryReader.RECORD_BYTES;
            b[o] = (byte) (i % 10);
            b[o + 1] = (byte) i; // first red pixel
        }
        return b;
    }

    @Test
    void readsLabelsAndSelectedImages() throws IOException {
        Path p = Files.write(dir.resolve("data_batch_1.bin"), batch());
        byte[] labels = CifarBinaryReader.readLabels(p);
        assertThat(labels).hasSize(10_000);
        assertThat(labels[13]).isEqualTo((byte) 3);
        boolean[] keep = new boolean[10_000];
        keep[7] = true;
        keep[9_999] = true;
        byte[] dest = new byte[2 * 3072];
        assertThat(CifarBinaryReader.readImages(p, keep, dest, 0)).isEqualTo(2);
        assertThat(dest[0]).isEqualTo((byte) 7);
        assertThat(dest[3072]).isEqualTo((byte) 9_999);
    }

    @Test
    void truncatedBatch() throws IOException {
        byte[] b = batch();
        Path p = Files.write(dir.resolve("data_batch_2.bin"), Arrays.copyOf(b, b.length - 100));
        assertThatThrownBy(() -> CifarBinaryReader.readLabels(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("9999 whole records");
    }

    @Test
    void recordSizeMismatch() throws IOException {
        // 10,000 records of 3072 bytes (label missing): wrong size, stray bytes
        Path p = Files.write(dir.resolve("bad.bin"), new byte[3072 * 10_000]);
        assertThatThrownBy(() -> CifarBinaryReader.readLabels(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("stray bytes");
    }

    @Test
    void tooLong() throws IOException {
        Path p = Files.write(dir.resolve("long.bin"), Arrays.copyOf(batch(), 30_730_000 + 3073));
        assertThatThrownBy(() -> CifarBinaryReader.readLabels(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void labelOutOfRange() throws IOException {
        byte[] b = batch();
        b[42 * 3073] = 12;
        Path p = Files.write(dir.resolve("lbl.bin"), b);
        assertThatThrownBy(() -> CifarBinaryReader.readLabels(p))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(p.toString())
                .hasMessageContaining("label 12 of record 42");
        assertThatThrownBy(() -> CifarBinaryReader.validate("x.bin", b))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("record 42");
    }

    @Test
    void directoryInPlaceOfABatch() throws IOException {
        Path d = Files.createDirectories(dir.resolve("test_batch.bin"));
        assertThatThrownBy(() -> CifarBinaryReader.readLabels(d))
                .isInstanceOf(GenLabException.class)
                .hasMessage(d + " is a directory, not a CIFAR-10 batch");
    }

    @Test
    void batchCount() {
        assertThatThrownBy(
                        () ->
                                CifarBinaryReader.checkBatchCount(
                                        List.of(dir.resolve("a"), dir.resolve("b")), 5, "train"))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("needs 5 batch files but got 2");
    }
}
