package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.genlab.core.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes and damage, on a real run: {@code genlab train} killed with SIGKILL again and again while
 * it writes a checkpoint every step, then resumed; a checkpoint with one flipped bit refused by
 * {@code sample}, and the previous checkpoint used instead; a training data file altered in place
 * refused by {@code train}.
 */
class CrashSafetyTest {

    @TempDir Path dir;

    private static final String[] TRAIN = {
        "train",
        "gan",
        "--dataset",
        "ring",
        "--width",
        "16",
        "--latent",
        "4",
        "--batch",
        "64",
        "--sample-every",
        "0",
        "--no-progress"
    };

    /** Starts {@code genlab ARGS} in a new JVM, as a user's shell would. */
    private static Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GenLabCommand.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Test
    void repeatedKillsDuringCheckpointWritesNeverCostTheRun() throws Exception {
        Path run = dir.resolve("killed");
        Random random = new Random(7);
        int kills = 0;
        for (int round = 0; round < 4; round++) {
            List<String> args = new ArrayList<>(List.of(TRAIN));
            args.addAll(List.of("--steps", "100000", "--checkpoint-every", "1", "--run"));
            args.add(run.toString());
            if (round > 0) {
                args.add("--resume");
            }
            Path log = dir.resolve("round" + round + ".log");
            Process p = start(log, args.toArray(new String[0]));
            // wait until it saves checkpoints, then kill it at a random moment of its saving
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long stepBefore = round == 0 ? 0 : Checkpoint.inspect(run).getStep();
            while (System.nanoTime() < deadline
                    && (!Files.exists(run.resolve("checkpoint.zip"))
                            || Checkpoint.inspect(run).getStep() <= stepBefore + 3)) {
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
            Thread.sleep(random.nextInt(400));
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
            p.waitFor(30, TimeUnit.SECONDS);
            kills++;
            Checkpoint cp = Checkpoint.inspect(run);
            assertThat(cp.getStep()).isGreaterThan(stepBefore);
        }
        long before = Checkpoint.inspect(run).getStep();
        String[] args = RunSafetyTest.concat(TRAIN, "--run", run.toString(), "--resume");
        String[] resumed =
                CliRun.run(RunSafetyTest.concat(args, "--steps", Long.toString(before + 20)));
        assertThat(resumed[0]).as(resumed[1] + resumed[2]).isEqualTo("0");
        assertThat(Checkpoint.inspect(run).getStep()).isEqualTo(before + 20);
        try (Stream<Path> files = Files.list(run)) {
            // temporary files of killed saves younger than ten minutes may stay; none are loaded
            assertThat(files.map(f -> f.getFileName().toString()))
                    .contains("checkpoint.zip", "checkpoint.prev.zip", "config.properties");
        }
        System.out.printf("killed %d times; resumed at step %d%n", kills, before);
    }

    @Test
    void aFlippedBitInTheCheckpointIsRefusedAndThePreviousOneUsed() throws Exception {
        Path run = dir.resolve("flipped");
        String[] train =
                RunSafetyTest.concat(
                        TRAIN,
                        "--steps",
                        "20",
                        "--checkpoint-every",
                        "10",
                        "--run",
                        run.toString());
        assertThat(CliRun.run(train)[0]).isEqualTo("0");
        Path latest = run.resolve("checkpoint.zip");
        assertThat(run.resolve("checkpoint.prev.zip")).exists();
        long offset;
        try (ZipFile zip = new ZipFile(latest.toFile())) {
            ZipEntry e = zip.getEntry("networks/G.tensors");
            assertThat(e).isNotNull();
            offset = dataOffset(latest, e.getName()) + e.getCompressedSize() / 2;
        }
        try (RandomAccessFile f = new RandomAccessFile(latest.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
        // sampling uses the previous checkpoint and says so; damaged without one, it refuses
        String[] sample =
                CliRun.run(
                        "sample",
                        "gan",
                        "--run",
                        run.toString(),
                        "--n",
                        "16",
                        "--out",
                        dir.resolve("s.png").toString());
        assertThat(sample[0]).as(sample[2]).isEqualTo("0");
        Files.delete(run.resolve("checkpoint.prev.zip"));
        String err =
                RunSafetyTest.refused(
                        "sample",
                        "gan",
                        "--run",
                        run.toString(),
                        "--n",
                        "16",
                        "--out",
                        dir.resolve("t.png").toString());
        assertThat(err).contains("networks/G.tensors").contains("damaged");
    }

    @Test
    void labelsAlteredInTheCacheAreRefusedByTrain() throws Exception {
        Path real = org.genlab.core.GenLabHome.dataDir().resolve("mnist");
        org.genlab.datasets.DatasetRegistry.fetch("mnist", null, System.out);
        Path copy = dir.resolve("data").resolve("mnist");
        Files.createDirectories(copy);
        for (String f :
                new String[] {
                    "train-images-idx3-ubyte",
                    "train-labels-idx1-ubyte",
                    "t10k-images-idx3-ubyte",
                    "t10k-labels-idx1-ubyte"
                }) {
            Files.copy(real.resolve(f), copy.resolve(f));
        }
        String old = System.getProperty("genlab.data");
        System.setProperty("genlab.data", copy.getParent().toString());
        try {
            String[] train = {
                "train",
                "gan",
                "--dataset",
                "mnist",
                "--limit",
                "256",
                "--steps",
                "2",
                "--batch",
                "32",
                "--width",
                "8",
                "--no-progress",
                "--run",
                dir.resolve("gan").toString()
            };
            assertThat(CliRun.run(train)[0]).isEqualTo("0"); // the copy is whole: it trains
            // the tester's case: label bytes flipped in place, same length
            try (RandomAccessFile f =
                    new RandomAccessFile(copy.resolve("train-labels-idx1-ubyte").toFile(), "rw")) {
                f.seek(1000);
                int b = f.read();
                f.seek(1000);
                f.write((b + 1) % 10);
            }
            String err =
                    RunSafetyTest.refused(
                            RunSafetyTest.concat(
                                    new String[] {"train", "gan"},
                                    "--run",
                                    dir.resolve("gan").toString(),
                                    "--resume",
                                    "--steps",
                                    "4"));
            assertThat(err).contains("train-labels-idx1-ubyte").contains("genlab datasets");
            assertThat(Checkpoint.inspect(dir.resolve("gan")).getStep()).isEqualTo(2);
        } finally {
            if (old == null) {
                System.clearProperty("genlab.data");
            } else {
                System.setProperty("genlab.data", old);
            }
        }
    }

    /** Where an entry's bytes start in a ZIP file (after its local header). */
    private static long dataOffset(Path zip, String name) throws IOException {
        byte[] all = Files.readAllBytes(zip);
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i + 30 + n.length < all.length; i++) {
            if (all[i] == 'P' && all[i + 1] == 'K' && all[i + 2] == 3 && all[i + 3] == 4) {
                int nameLen = (all[i + 26] & 0xFF) | (all[i + 27] & 0xFF) << 8;
                int extraLen = (all[i + 28] & 0xFF) | (all[i + 29] & 0xFF) << 8;
                if (nameLen == n.length
                        && java.util.Arrays.equals(all, i + 30, i + 30 + nameLen, n, 0, n.length)) {
                    return i + 30L + nameLen + extraLen;
                }
            }
        }
        throw new AssertionError(name + " not found in " + zip);
    }
}
