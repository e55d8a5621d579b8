package org.genlab.datasets.source;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds command-line tools on the {@code PATH} and runs them with a time limit. */
public final class ExternalTools {

    private ExternalTools() {}

    /**
     * Finds an executable on the {@code PATH}.
     *
     * @param tool e.g. {@code npm}
     * @return its path, or empty if it is not installed
     */
    public static Optional<Path> which(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        List<String> names = new ArrayList<>(List.of(tool));
        if (windows) {
            names.addAll(List.of(tool + ".cmd", tool + ".exe", tool + ".bat"));
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a command in a folder and waits for it.
     *
     * @param cwd the working folder
     * @param timeout how long to wait before killing it
     * @param command the command and its arguments
     * @return its combined standard output and error
     * @throws IOException if it cannot start, times out or exits with a non-zero status (the
     *     message holds the last lines of its output)
     */
    public static String run(Path cwd, Duration timeout, List<String> command) throws IOException {
        Path out = Files.createTempFile(cwd, ".cmd", ".log");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .directory(cwd.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                            .start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(String.join(" ", command) + " was interrupted", e);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
                throw new IOException(
                        String.join(" ", command)
                                + " timed out after "
                                + timeout.toSeconds()
                                + "s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(
                        String.join(" ", command)
                                + " exited with status "
                                + p.exitValue()
                                + ": "
                                + tail(text));
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static File nullFile() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        return new File(windows ? "NUL" : "/dev/null");
    }

    private static String tail(String text) {
        String t = text.strip();
        String[] lines = t.split("\n");
        int from = Math.max(0, lines.length - 3);
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
