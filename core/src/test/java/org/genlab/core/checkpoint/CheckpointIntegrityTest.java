package org.genlab.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Params;
import org.genlab.core.testing.TinyTask;
import org.genlab.core.train.LossHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage on the disk never loads as different weights: a flipped bit is refused with the entry's
 * name, and the previous checkpoint is used when it is whole.
 */
class CheckpointIntegrityTest {

    private static final String NET = "networks/net.tensors";

    @TempDir Path dir;

    @Test
    void flippedBitInATensorIsRefusedNamingTheFileAndEntry() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 10, 99, Map.of(), new LossHistory());
            assertThat(Checkpoint.previousFile(f)).doesNotExist();
            flipBit(f, NET);

            TinyTask b = new TinyTask(m, 2, 16, -1);
            assertThatThrownBy(() -> Checkpoint.load(f, b.state()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining(f.toString())
                    .hasMessageContaining("entry " + NET + " is damaged")
                    .hasMessageContaining("restore it from a backup");
            assertThatThrownBy(() -> Checkpoint.inspect(f))
                    .hasMessageContaining("entry " + NET + " is damaged");
            assertThatThrownBy(() -> Checkpoint.loadNetwork(f, "tiny", "net", b.net(), false))
                    .hasMessageContaining("entry " + NET + " is damaged");
        }
    }

    @Test
    void entryRewrittenWithAValidCrcFailsItsDigest() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 10, 99, Map.of(), new LossHistory());
            rewrite(
                    f,
                    (name, bytes) -> {
                        if (name.equals(NET)) {
                            bytes[bytes.length - 1] ^= 1; // the last weight's lowest bit
                        }
                        return bytes;
                    });
            assertThatThrownBy(() -> Checkpoint.inspect(f))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("entry " + NET + " is damaged (SHA-256 digest mismatch)");
        }
    }

    @Test
    void damagedLatestFallsBackToThePreviousWithAWarning() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask five = new TinyTask(m, 5, 16, -1);
            TinyTask ten = new TinyTask(m, 10, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Path prev = dir.resolve(Checkpoint.PREVIOUS_FILE_NAME);
            Checkpoint.save(f, five.state(), 5, 1, Map.of(), new LossHistory());
            Checkpoint.save(f, ten.state(), 10, 1, Map.of(), new LossHistory());
            assertThat(Checkpoint.previousFile(f)).isEqualTo(prev);
            assertThat(Checkpoint.inspect(prev).getStep()).isEqualTo(5);

            Checkpoint latest = Checkpoint.inspect(f);
            assertThat(latest.getStep()).isEqualTo(10);
            assertThat(latest.isFallback()).isFalse();
            assertThat(latest.getProblem()).isNull();
            assertThat(latest.getFile()).isEqualTo(f);

            flipBit(f, NET);
            TinyTask b = new TinyTask(m, 2, 16, -1);
            String[] err = new String[1];
            Checkpoint cp = captureErr(() -> Checkpoint.load(f, b.state()), err);
            assertThat(cp.getStep()).isEqualTo(5);
            assertThat(cp.isFallback()).isTrue();
            assertThat(cp.getFile()).isEqualTo(prev);
            assertThat(cp.getProblem()).contains(f.toString()).contains(NET);
            assertSameWeights(five, b);
            assertThat(err[0].lines().count()).isEqualTo(1);
            assertThat(err[0]).contains(f.toString()).contains(prev.toString()).contains("step 5");

            Checkpoint described = captureErr(() -> Checkpoint.inspect(dir), err);
            assertThat(described.getStep()).isEqualTo(5);
            TinyTask c = new TinyTask(m, 3, 16, -1);
            captureErr(() -> Checkpoint.loadNetwork(f, "tiny", "net", c.net(), false), err);
            assertSameWeights(five, c);
        }
    }

    @Test
    void missingLatestFallsBackToThePrevious() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            assertThat(Checkpoint.exists(f)).isFalse();
            Checkpoint.save(f, a.state(), 5, 1, Map.of(), new LossHistory());
            Checkpoint.save(f, a.state(), 10, 1, Map.of(), new LossHistory());
            Files.delete(f);
            assertThat(Checkpoint.exists(f)).isTrue();
            String[] err = new String[1];
            Checkpoint cp = captureErr(() -> Checkpoint.inspect(f), err);
            assertThat(cp.getStep()).isEqualTo(5);
            assertThat(cp.getProblem()).isEqualTo(f + ": missing");
        }
    }

    @Test
    void bothDamagedIsAnErrorNamingBoth() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Path prev = Checkpoint.previousFile(f);
            Checkpoint.save(f, a.state(), 5, 1, Map.of(), new LossHistory());
            Checkpoint.save(f, a.state(), 10, 1, Map.of(), new LossHistory());
            flipBit(f, NET);
            flipBit(prev, "optimizers/net.tensors");
            assertThatThrownBy(() -> Checkpoint.load(f, a.state()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("Neither checkpoint")
                    .hasMessageContaining(f + ": entry " + NET + " is damaged")
                    .hasMessageContaining(prev + ": entry optimizers/net.tensors is damaged");

            Files.delete(f);
            assertThatThrownBy(() -> Checkpoint.inspect(f))
                    .hasMessageContaining(f + ": missing")
                    .hasMessageContaining(prev + ": entry optimizers/net.tensors is damaged");
        }
    }

    @Test
    void aDamagedLatestDoesNotPushAWholePreviousOut() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 5, 1, Map.of(), new LossHistory());
            Checkpoint.save(f, a.state(), 10, 1, Map.of(), new LossHistory());
            flipBit(f, NET);
            String[] err = new String[1];
            captureErr(
                    () -> {
                        Checkpoint.save(f, a.state(), 15, 1, Map.of(), new LossHistory());
                        return null;
                    },
                    err);
            assertThat(err[0]).contains("replacing it");
            assertThat(Checkpoint.inspect(f).getStep()).isEqualTo(15);
            assertThat(Checkpoint.inspect(Checkpoint.previousFile(f)).getStep()).isEqualTo(5);

            Checkpoint.save(f, a.state(), 20, 1, Map.of(), new LossHistory());
            assertThat(Checkpoint.inspect(Checkpoint.previousFile(f)).getStep()).isEqualTo(15);
        }
    }

    /** A file written before digests existed: checkpoint.properties first, no digest lines. */
    @Test
    void formatOneCheckpointsStillLoadCheckedByCrc() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            LossHistory h = new LossHistory();
            h.add(10, Map.of("mse", 0.5f));
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 10, 99, Map.of("lr", "0.01"), h);
            toFormatOne(f);
            try (ZipFile zip = new ZipFile(f.toFile())) {
                String meta =
                        new String(read(zip, "checkpoint.properties"), StandardCharsets.UTF_8);
                assertThat(meta).contains("format=genlab-checkpoint-1").doesNotContain("digest.");
            }

            TinyTask b = new TinyTask(m, 2, 16, -1);
            Checkpoint cp = Checkpoint.load(f, b.state());
            assertThat(cp.getStep()).isEqualTo(10);
            assertThat(cp.getConfig()).containsEntry("lr", "0.01");
            assertThat(cp.getHistory().series("mse")).containsExactly(0.5f);
            assertSameWeights(a, b);

            flipBit(f, NET);
            assertThatThrownBy(() -> Checkpoint.load(f, b.state()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("entry " + NET + " is damaged");
        }
    }

    @Test
    void foreignFormatIsRefusedByName() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 16, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 10, 99, Map.of(), new LossHistory());
            rewrite(
                    f,
                    (name, bytes) ->
                            name.equals("checkpoint.properties")
                                    ? new String(bytes, StandardCharsets.UTF_8)
                                            .replace("genlab-checkpoint-2", "genlab-checkpoint-9")
                                            .getBytes(StandardCharsets.UTF_8)
                                    : bytes);
            assertThatThrownBy(() -> Checkpoint.inspect(f))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("'genlab-checkpoint-9' is not one this GenLab");
        }
    }

    /**
     * Whatever single byte a disk damages, the checkpoint either loads exactly the saved weights
     * (the byte was in a field nobody reads, such as a timestamp) or is refused with a {@link
     * GenLabException}; it never loads different weights or fails with another exception.
     */
    @Test
    void noSingleDamagedByteLoadsDifferentWeights() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 2, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 10, 99, Map.of(), new LossHistory());
            byte[] good = Files.readAllBytes(f);
            TinyTask b = new TinyTask(m, 2, 2, -1);
            int refused = 0;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                for (int i = 0; i < good.length; i++) {
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) (good[i] ^ 0x41)}), i);
                    try {
                        Checkpoint.inspect(f); // checks the whole file, as load does, but faster
                        Checkpoint cp = Checkpoint.load(f, b.state());
                        assertThat(cp.getStep()).as("byte %d", i).isEqualTo(10);
                        assertSameWeights(a, b);
                    } catch (GenLabException e) {
                        refused++;
                    }
                    ch.write(ByteBuffer.wrap(new byte[] {good[i]}), i);
                }
            }
            assertThat(refused).isGreaterThan(good.length / 2);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void assertSameWeights(TinyTask expected, TinyTask actual) {
        Map<String, NDArray> pa = Params.arrays(expected.net());
        Map<String, NDArray> pb = Params.arrays(actual.net());
        for (String k : pa.keySet()) {
            assertThat(pb.get(k).toFloatArray()).containsExactly(pa.get(k).toFloatArray());
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T captureErr(Call<T> call, String[] err) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return call.call();
        } finally {
            System.setErr(old);
            err[0] = buf.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Flips one bit in the middle of an entry's stored (compressed) bytes, as a failing disk or a
     * bad copy would: the local header's offset comes from the central directory.
     */
    static void flipBit(Path zipFile, String entry) throws IOException {
        byte[] b = Files.readAllBytes(zipFile);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = b.length - 22;
        while (bb.getInt(eocd) != 0x06054b50) {
            eocd--;
        }
        int count = Short.toUnsignedInt(bb.getShort(eocd + 10));
        int p = bb.getInt(eocd + 16);
        for (int i = 0; i < count; i++) {
            assertThat(bb.getInt(p)).isEqualTo(0x02014b50);
            int compressed = bb.getInt(p + 20);
            int n = Short.toUnsignedInt(bb.getShort(p + 28));
            int extra = Short.toUnsignedInt(bb.getShort(p + 30));
            int comment = Short.toUnsignedInt(bb.getShort(p + 32));
            int local = bb.getInt(p + 42);
            String name = new String(b, p + 46, n, StandardCharsets.UTF_8);
            if (name.equals(entry)) {
                int data =
                        local
                                + 30
                                + Short.toUnsignedInt(bb.getShort(local + 26))
                                + Short.toUnsignedInt(bb.getShort(local + 28));
                b[data + compressed / 2] ^= 0x10;
                Files.write(zipFile, b);
                return;
            }
            p += 46 + n + extra + comment;
        }
        throw new AssertionError("no entry " + entry + " in " + zipFile);
    }

    private interface Edit {
        byte[] apply(String name, byte[] bytes);
    }

    /** Rewrites every entry, so that the ZIP's own CRCs match whatever the edit did. */
    private static void rewrite(Path zipFile, Edit edit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipFile zip = new ZipFile(zipFile.toFile());
                ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(edit.apply(e.getName(), read(zip, e.getName())));
                z.closeEntry();
            }
        }
        Files.write(zipFile, out.toByteArray());
    }

    /** Turns a checkpoint into what GenLab wrote before format 2. */
    private static void toFormatOne(Path zipFile) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipFile zip = new ZipFile(zipFile.toFile());
                ZipOutputStream z = new ZipOutputStream(out)) {
            String meta =
                    new String(read(zip, "checkpoint.properties"), StandardCharsets.UTF_8)
                            .lines()
                            .filter(l -> !l.startsWith("digest."))
                            .map(l -> l.replace("genlab-checkpoint-2", "genlab-checkpoint-1"))
                            .collect(Collectors.joining("\n", "", "\n"));
            z.putNextEntry(new ZipEntry("checkpoint.properties"));
            z.write(meta.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (!e.getName().equals("checkpoint.properties")) {
                    z.putNextEntry(new ZipEntry(e.getName()));
                    z.write(read(zip, e.getName()));
                    z.closeEntry();
                }
            }
        }
        Files.write(zipFile, out.toByteArray());
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }
}
