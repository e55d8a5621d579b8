package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code genlab compare} refuses what it cannot compare, and says why. */
class CompareErrorsTest {

    @TempDir Path dir;

    private static String[] run(String... args) {
        return CliRun.run(args);
    }

    private void tinyGan(String dataset, Path run) {
        String[] r =
                run(
                        "train",
                        "gan",
                        "--dataset",
                        dataset,
                        "--steps",
                        "5",
                        "--limit",
                        "256",
                        "--batch",
                        "16",
                        "--width",
                        "8",
                        "--no-progress",
                        "--run",
                        run.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
    }

    @Test
    void runsOfDifferentDataSetsAndIncompleteRunsAreRefused() throws Exception {
        Path mnist = dir.resolve("gan-mnist");
        Path fashion = dir.resolve("gan-fashion");
        tinyGan("mnist", mnist);
        tinyGan("fashion-mnist", fashion);
        String[] mixed =
                run(
                        "compare",
                        "--runs",
                        mnist.toString(),
                        fashion.toString(),
                        "--out",
                        dir.resolve("r").toString());
        assertThat(mixed[0]).isEqualTo("2");
        assertThat(mixed[2])
                .contains("different data sets")
                .contains("gan-mnist (mnist)")
                .contains("gan-fashion (fashion-mnist)");

        Path empty = Files.createDirectories(dir.resolve("half"));
        Files.writeString(empty.resolve("config.properties"), "gan.model=dcgan\n");
        String[] incomplete =
                run("compare", "--runs", empty.toString(), "--out", dir.resolve("r2").toString());
        assertThat(incomplete[0]).isEqualTo("2");
        assertThat(incomplete[2]).contains("is incomplete").contains("no checkpoint.zip");

        String[] few = run("compare", "--runs", mnist.toString(), "--n", "50");
        assertThat(few[0]).isEqualTo("2");
        assertThat(few[2]).contains("between 200 and").contains("need at least 200");
    }
}
