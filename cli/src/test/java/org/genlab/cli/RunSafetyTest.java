package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.genlab.core.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a user types destroys a run: on a real run folder with a real checkpoint (a GAN and a
 * diffusion model on a 2D toy, trained by the command), training again without {@code --resume} is
 * refused, every failed command leaves the folder byte for byte as it was, and a resumed run keeps
 * its recorded settings.
 */
class RunSafetyTest {

    @TempDir Path dir;

    private static String[] gan(Path run, String... more) {
        String[] base = {
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
            "--checkpoint-every",
            "10",
            "--sample-every",
            "0",
            "--no-progress",
            "--run",
            run.toString()
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Every file of a folder and the SHA-256 of its bytes. */
    static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    try {
                        out.put(
                                folder.relativize(f).toString(),
                                HexFormat.of()
                                        .formatHex(
                                                MessageDigest.getInstance("SHA-256")
                                                        .digest(Files.readAllBytes(f))));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return out;
    }

    /** Runs a command that must fail: status 2, one line on stderr, no stack trace anywhere. */
    static String refused(String... args) {
        String[] r = CliRun.run(args);
        String err = r[2].strip();
        assertThat(r[0]).as("status of %s; stderr %s", String.join(" ", args), err).isEqualTo("2");
        assertThat(err.lines().count()).as("stderr of %s", String.join(" ", args)).isEqualTo(1);
        assertThat(err).startsWith("genlab: ");
        assertThat(r[1] + err).doesNotContain("Exception").doesNotContain("\tat ");
        return err;
    }

    @Test
    void anExistingRunIsNeverReplacedOrBrokenByACommand() throws IOException {
        Path run = dir.resolve("gan");
        assertThat(CliRun.run(gan(run, "--steps", "30"))[0]).isEqualTo("0");
        Map<String, String> before = snapshot(run);
        assertThat(before).containsKeys("checkpoint.zip", "config.properties", "losses.csv");

        // the same command again: refused, naming the way out
        assertThat(refused(gan(run, "--steps", "10")))
                .contains("already holds a run")
                .contains("--resume")
                .contains("--overwrite");
        assertThat(snapshot(run)).isEqualTo(before);

        // the tester's failed commands, each of which used to leave the run unreadable or changed
        String[][] bad = {
            gan(run, "--model", "dcgan", "--checkpoint-every", "-1", "--resume"),
            gan(run, "--resume", "--width", "64"),
            gan(run, "--resume", "--steps", "-5"),
            gan(run, "--resume", "--loss", "hinge"),
            gan(run, "--resume", "--overwrite"),
            gan(run, "--resume", "--lr", "NaN"),
            gan(run, "--resume", "--batch", "100000"),
            concat(new String[] {"--seed", "7"}, gan(run, "--resume", "--steps", "40")),
            gan(dir.resolve("missing"), "--resume"),
        };
        for (String[] args : bad) {
            refused(args);
            assertThat(snapshot(run)).as(String.join(" ", args)).isEqualTo(before);
        }
        assertThat(dir.resolve("missing")).doesNotExist();
        assertThat(refused(gan(dir.resolve("missing"), "--resume"))).contains("no run at");
        String[] resumeWider = {
            "train", "gan", "--run", run.toString(), "--resume", "--width", "64"
        };
        assertThat(refused(resumeWider)).contains("--width").contains("16").contains("64");
        assertThat(refused(concat(new String[] {"--seed", "7"}, gan(run, "--resume"))))
                .contains("--seed")
                .contains("42")
                .contains("7");

        // --resume alone continues with the recorded settings (width 16, latent 4)
        String[] resumed = CliRun.run("train", "gan", "--run", run.toString(), "--resume");
        assertThat(resumed[0]).as(resumed[2]).isEqualTo("0");
        Checkpoint cp = Checkpoint.inspect(run.resolve("checkpoint.zip"));
        assertThat(cp.getStep()).isEqualTo(30); // the recorded --steps: nothing left to do
        String[] more = CliRun.run(gan(run, "--resume", "--steps", "40", "--lr", "1e-4"));
        assertThat(more[0]).as(more[2]).isEqualTo("0");
        assertThat(more[1]).contains("Note: --lr changes from 2.0E-4 to 1.0E-4");
        cp = Checkpoint.inspect(run.resolve("checkpoint.zip"));
        assertThat(cp.getStep()).isEqualTo(40);
        assertThat(cp.getSeed()).isEqualTo(42);
        assertThat(cp.getConfig()).containsEntry("gan.width", "16");

        // --overwrite replaces it
        assertThat(CliRun.run(gan(run, "--steps", "10", "--overwrite"))[0]).isEqualTo("0");
        assertThat(Checkpoint.inspect(run.resolve("checkpoint.zip")).getStep()).isEqualTo(10);
    }

    @Test
    void aResumedDiffusionRunKeepsItsScheduleAndT() throws IOException {
        Path run = dir.resolve("ddpm");
        String[] base = {
            "train",
            "diffusion",
            "--dataset",
            "ring",
            "--steps",
            "20",
            "--timesteps",
            "100",
            "--sample-every",
            "0",
            "--checkpoint-every",
            "10",
            "--no-progress",
            "--run",
            run.toString()
        };
        String[] first = CliRun.run(base);
        assertThat(first[0]).as(first[2]).isEqualTo("0");
        Map<String, String> before = snapshot(run);
        String[] resume = {"train", "diffusion", "--run", run.toString(), "--resume"};
        assertThat(refused(concat(resume, "--schedule", "cosine", "--timesteps", "500")))
                .contains("--schedule")
                .contains("linear")
                .contains("cosine");
        assertThat(refused(concat(resume, "--timesteps", "500"))).contains(" 100,").contains("500");
        assertThat(refused(concat(base, "--resume", "--objective", "flow"))).contains("flow");
        assertThat(refused(concat(base, "--batch", "20000", "--overwrite")))
                .contains("larger than the data");
        assertThat(snapshot(run)).isEqualTo(before);
        String[] resumed =
                CliRun.run(
                        "train",
                        "diffusion",
                        "--run",
                        run.toString(),
                        "--resume",
                        "--steps",
                        "30",
                        "--no-progress");
        assertThat(resumed[0]).as(resumed[2]).isEqualTo("0");
        Checkpoint cp = Checkpoint.inspect(run.resolve("checkpoint.zip"));
        assertThat(cp.getStep()).isEqualTo(30);
        assertThat(cp.getConfig())
                .containsEntry("schedule", "linear")
                .containsEntry("timesteps", "100");

        // an edited config.properties (another T, a malformed number) is refused, not sampled
        Path config = run.resolve("config.properties");
        String text = Files.readString(config);
        for (String edited : new String[] {"timesteps=500", "timesteps=1x0"}) {
            Files.writeString(config, text.replace("timesteps=100", edited));
            assertThat(refused("sample", "diffusion", "--run", run.toString(), "--n", "4"))
                    .contains("config.properties")
                    .contains(edited)
                    .contains("timesteps=100");
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
