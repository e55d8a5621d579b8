package org.genlab.datasets.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {

    @TempDir Path dir;

    /** Builds a ustar archive of regular files. */
    static byte[] tar(String[] names, String[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < names.length; i++) {
            byte[] data = contents[i].getBytes(StandardCharsets.UTF_8);
            byte[] h = new byte[512];
            put(h, 0, names[i]);
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", data.length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xFF;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    Path gz(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content);
        }
        return p;
    }

    @Test
    void extractsWantedFilesOnly() throws IOException {
        Path archive =
                gz(
                        "ok.tar.gz",
                        tar(
                                new String[] {"d/a.bin", "d/readme.html", "d/b.bin"},
                                new String[] {"AAA", "<html>", "B".repeat(1000)}));
        Path target = dir.resolve("out");
        List<Path> files = TarExtractor.extract(archive, target, n -> n.endsWith(".bin"));
        assertThat(files).containsExactly(target.resolve("d/a.bin"), target.resolve("d/b.bin"));
        assertThat(Files.readString(target.resolve("d/b.bin"))).hasSize(1000);
        assertThat(target.resolve("d/readme.html")).doesNotExist();
    }

    @Test
    void refusesDotDotEntries() throws IOException {
        Path archive =
                gz(
                        "evil.tar.gz",
                        tar(new String[] {"ok.txt", "../evil.txt"}, new String[] {"x", "y"}));
        Path target = dir.resolve("out");
        assertThatThrownBy(() -> TarExtractor.extract(archive, target, n -> true))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("../evil.txt")
                .hasMessageContaining("outside");
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void refusesNestedDotDotAndAbsolutePaths() throws IOException {
        Path target = dir.resolve("out");
        Path nested = gz("n.tar.gz", tar(new String[] {"a/../../x"}, new String[] {"y"}));
        assertThatThrownBy(() -> TarExtractor.extract(nested, target, n -> true))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("outside");
        Path abs = gz("a.tar.gz", tar(new String[] {"/tmp/genlab-evil"}, new String[] {"y"}));
        assertThatThrownBy(() -> TarExtractor.extract(abs, target, n -> true))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("/tmp/genlab-evil");
        assertThat(Path.of("/tmp/genlab-evil")).doesNotExist();
    }

    @Test
    void truncatedArchive() throws IOException {
        byte[] t = tar(new String[] {"a.bin"}, new String[] {"Z".repeat(5000)});
        Path archive = gz("cut.tar.gz", Arrays.copyOf(t, 2048));
        assertThatThrownBy(() -> TarExtractor.extract(archive, dir.resolve("out"), n -> true))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void corruptHeader() throws IOException {
        byte[] t = tar(new String[] {"a.bin"}, new String[] {"Z"});
        t[10] = 'q'; // name changed, checksum not
        Path archive = gz("bad.tar.gz", t);
        assertThatThrownBy(() -> TarExtractor.extract(archive, dir.resolve("out"), n -> true))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("checksum");
    }
}
