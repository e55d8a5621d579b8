package org.genlab.cli.notebooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every lecture notebook ({@code notebooks/*.ipynb}) through JShell with the project's class
 * path, as the Java kernels do: one fresh JVM per notebook ({@link NotebookRunner}), with {@code
 * CI=true} so that the notebooks train for seconds, one PyTorch thread, and a time limit. A compile
 * error, an exception, or a notebook without a picture fails the test, naming notebook and cell.
 *
 * <p>The pictures each notebook displayed are written to {@code
 * target/notebooks/NAME/display-NN.png}. {@code -Dgenlab.notebooks.timeout=SECONDS} changes the
 * limit per notebook (default 300); {@code -Dgenlab.notebooks.only=02} runs only the notebooks
 * whose names contain that text.
 */
class NotebooksTest {

    private static final Path NOTEBOOKS = Path.of("..", "notebooks");

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsInJShell() throws IOException {
        List<Path> books = new ArrayList<>();
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            s.filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                    .sorted()
                    .forEach(books::add);
        }
        assertThat(books)
                .as("notebooks in " + NOTEBOOKS.toAbsolutePath())
                .hasSizeGreaterThanOrEqualTo(9);
        String only = System.getProperty("genlab.notebooks.only", "");
        return books.stream()
                .filter(p -> p.getFileName().toString().contains(only))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
    }

    private static void run(Path notebook) throws Exception {
        String name = notebook.getFileName().toString().replace(".ipynb", "");
        Path work = Path.of("target", "notebooks", name).toAbsolutePath();
        Files.createDirectories(work);
        try (Stream<Path> old = Files.list(work)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                if (p.getFileName().toString().startsWith("display-")) {
                    Files.delete(p);
                }
            }
        }
        Path log = work.resolve("run.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx3g");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.pytorch.num_threads=1");
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NotebookRunner.class.getName());
        cmd.add(notebook.toAbsolutePath().toString());
        cmd.add(work.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("CI", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        long limit = Long.getLong("genlab.notebooks.timeout", 300);
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(limit, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf(
                Locale.ROOT,
                "%s: %s in %.1f s%n",
                name,
                done ? "exit " + p.exitValue() : "timed out",
                (System.nanoTime() - t0) / 1e9);
        assertThat(done)
                .as("%s finished within %d s; log %s:%n%s", name, limit, log, tail(out))
                .isTrue();
        assertThat(p.exitValue()).as("%s; log %s:%n%s", name, log, tail(out)).isZero();
        assertThat(out).contains("OK " + notebook.getFileName());
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        int from = Math.max(0, lines.length - 60);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
