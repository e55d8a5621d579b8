package org.genlab.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genlab.core.GenLabException;
import org.genlab.core.chart.Charts;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.testing.TinyTask;
import org.genlab.core.train.LossHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail say why in one line, leave the old file and no debris, and respect the umask.
 */
class AtomicFilesTest {

    @TempDir Path dir;

    @Test
    void cleanStaleRemovesOnlyOldTemporaryFilesOfGenLab() throws Exception {
        Path old = touch(dir.resolve(".checkpoint.zip8412339001.tmp"), Duration.ofHours(1));
        Path young = touch(dir.resolve(".checkpoint.zip77.tmp"), Duration.ZERO);
        Path nested = touch(dir.resolve("samples/.step_000100.png123.tmp"), Duration.ofHours(1));
        Path notOurs = touch(dir.resolve("notes.tmp"), Duration.ofHours(1));
        Path hidden = touch(dir.resolve(".cache.tmp"), Duration.ofHours(1));
        Path real = touch(dir.resolve("checkpoint.zip"), Duration.ofHours(1));

        assertThat(AtomicFiles.cleanStale(dir)).isEqualTo(2);
        assertThat(old).doesNotExist();
        assertThat(nested).doesNotExist();
        assertThat(young).exists();
        assertThat(List.of(notOurs, hidden, real)).allMatch(Files::exists);

        assertThat(AtomicFiles.cleanStale(dir, Duration.ZERO)).isEqualTo(1);
        assertThat(young).doesNotExist();
        assertThat(AtomicFiles.cleanStale(dir.resolve("absent"))).isZero();
    }

    /** A save keeping checkpoint.prev.zip links it under a temporary name: that must survive. */
    @Test
    void cleanStaleLeavesALinkThatASaveIsMakingRightNow() throws Exception {
        Path checkpoint = touch(dir.resolve("checkpoint.zip"), Duration.ofHours(1));
        Path link = dir.resolve(".checkpoint.prev.zip123.tmp");
        try {
            Files.createLink(link, checkpoint);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no hard links here");
        }
        assertThat(AtomicFiles.cleanStale(dir)).isZero();
        assertThat(link).exists();
        assertThat(AtomicFiles.cleanStale(dir, Duration.ZERO)).isEqualTo(1);
        assertThat(link).doesNotExist();
        assertThat(checkpoint).exists();
    }

    @Test
    void aKilledWritersTemporaryFileIsOneCleanStaleRemoves() throws Exception {
        Path target = dir.resolve("losses.csv");
        Path tmp = AtomicFiles.writeTemp(target, out -> out.write(1)); // never renamed: "killed"
        assertThat(tmp.getParent()).isEqualTo(dir);
        assertThat(AtomicFiles.cleanStale(dir, Duration.ZERO)).isEqualTo(1);
        assertThat(tmp).doesNotExist();
    }

    @Test
    void writtenFilesGetTheUmaskLikeAnyNewFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Set<PosixFilePermission> ordinary =
                Files.getPosixFilePermissions(Files.createFile(dir.resolve("ordinary")));
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 8, -1);
            Path f = dir.resolve(Checkpoint.FILE_NAME);
            Checkpoint.save(f, a.state(), 1, 1, Map.of(), new LossHistory());
            Checkpoint.save(f, a.state(), 2, 1, Map.of(), new LossHistory());
            assertThat(Files.getPosixFilePermissions(f)).isEqualTo(ordinary);
            assertThat(Files.getPosixFilePermissions(Checkpoint.previousFile(f)))
                    .isEqualTo(ordinary);
        }
        Path text = dir.resolve("config.properties");
        AtomicFiles.writeString(text, "a=b\n");
        assertThat(Files.getPosixFilePermissions(text)).isEqualTo(ordinary);
    }

    @Test
    void unwritableFolderIsAPermissionErrorAndKeepsTheOldFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path run = Files.createDirectory(dir.resolve("run"));
        Path target = run.resolve("config.properties");
        AtomicFiles.writeString(target, "old\n");
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(run);
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!canWrite(run), "running as a user who can write anywhere (root)");
            assertThatThrownBy(() -> AtomicFiles.writeString(target, "new\n"))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("Cannot write config.properties in " + run)
                    .hasMessageContaining("permission denied")
                    .hasMessageContaining("fix its permissions");
        } finally {
            Files.setPosixFilePermissions(run, before);
        }
        assertThat(target).hasContent("old");
        try (var files = Files.list(run)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFolderWhereTheFileShouldBeIsNamed() throws Exception {
        Path f = Files.createDirectories(dir.resolve(Checkpoint.FILE_NAME));
        try (NDManager m = NDManager.newBaseManager()) {
            TinyTask a = new TinyTask(m, 1, 8, -1);
            assertThatThrownBy(
                            () -> Checkpoint.save(f, a.state(), 1, 1, Map.of(), new LossHistory()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining(f + " is a folder, not a file");
            assertThatThrownBy(() -> Checkpoint.inspect(f))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining(f + ": not a file");
        }
        Path png = Files.createDirectories(dir.resolve("grid.png"));
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> PngWriter.write(img, png, Provenance.builder().build()))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining(png + " is a folder, not a file");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(f, png);
        }
    }

    @Test
    void aFileWhereTheFolderShouldBeIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("runs"), "x");
        assertThatThrownBy(
                        () ->
                                Charts.writePng(
                                        Charts.bars(Map.of("a", 1.0), "t", "v", false),
                                        file.resolve("run1/losses.png"),
                                        40,
                                        30))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Cannot write losses.png")
                .hasMessageContaining("a file stands where a folder should be");
    }

    @Test
    void diskFullReadOnlyAndDeniedAreSaidInPlainWordsAndLeaveNoDebris() throws Exception {
        Path target = dir.resolve("losses.csv");
        AtomicFiles.writeString(target, "old\n");
        assertThatThrownBy(
                        () ->
                                AtomicFiles.write(
                                        target,
                                        out -> {
                                            out.write(new byte[100_000]);
                                            throw new IOException("No space left on device");
                                        }))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Cannot write losses.csv in " + dir)
                .hasMessageContaining("the disk is full: free space or choose another --run");
        // image writers wrap the I/O error in their own
        assertThatThrownBy(
                        () ->
                                AtomicFiles.write(
                                        target,
                                        out -> {
                                            throw new IOException(
                                                    "I/O error writing PNG file!",
                                                    new FileSystemException(
                                                            target.toString(),
                                                            null,
                                                            "Read-only file system"));
                                        }))
                .hasMessageContaining("the file system is read-only");
        assertThatThrownBy(
                        () ->
                                AtomicFiles.write(
                                        target,
                                        out -> {
                                            throw new AccessDeniedException(target.toString());
                                        }))
                .hasMessageContaining("permission denied: choose a folder you can write");
        assertThat(target).hasContent("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    private static Path touch(Path p, Duration age) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    private static boolean canWrite(Path folder) {
        try {
            Files.delete(Files.createFile(folder.resolve("probe")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
