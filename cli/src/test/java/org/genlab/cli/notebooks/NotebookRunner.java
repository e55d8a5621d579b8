package org.genlab.cli.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs a notebook's code cells through the JDK's JShell, as the Java kernels do inside: each cell
 * is cut into snippets with JShell's own source analysis and evaluated in order in one shell, in
 * this JVM (like the kernels' in-process execution), with this JVM's class path.
 *
 * <p>The kernels run snippets on a cached thread pool: one thread while cells follow each other
 * quickly, a new one after the pool's idle minute (a student reading between two cells). Here every
 * cell runs on a new thread and all snippets of a cell on that one, which is the harder case:
 * per-thread state such as PyTorch's grad mode must be set by each cell that needs it.
 *
 * <p>The shell starts with the imports the rapaio-jupyter-kernel starts with (the smallest set of
 * the Java kernels) and a {@code display(Object)} like theirs (see {@link Displays}), so a notebook
 * that passes here uses nothing a kernel lacks.
 *
 * <pre>
 *   java -cp CLASSPATH org.genlab.cli.notebooks.NotebookRunner NOTEBOOK.ipynb [IMAGE_DIR]
 * </pre>
 *
 * Exit status: 0 when every cell ran and at least one picture was displayed; 1 on a compile error,
 * an exception or incomplete code, naming the notebook and the cell; 2 on bad arguments; 3 when no
 * picture was displayed.
 */
public final class NotebookRunner {

    /** What rapaio-jupyter-kernel's init.jshell imports, plus the kernels' display function. */
    static final List<String> PRELUDE =
            List.of(
                    "import java.util.*;",
                    "import java.io.*;",
                    "import java.math.*;",
                    "import java.net.*;",
                    "import java.util.concurrent.*;",
                    "import java.util.prefs.*;",
                    "import java.util.regex.*;",
                    "String display(Object o) { return org.genlab.cli.notebooks.Displays.show(o);"
                            + " }");

    private NotebookRunner() {}

    /**
     * Runs one notebook.
     *
     * @param args the notebook, and optionally the folder for displayed pictures
     * @throws IOException if the notebook cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: NotebookRunner NOTEBOOK.ipynb [IMAGE_DIR]");
            System.exit(2);
        }
        Path notebook = Path.of(args[0]);
        if (args.length > 1) {
            Displays.writeTo(Path.of(args[1]));
        }
        List<String> cells = codeCells(notebook);
        String name = notebook.getFileName().toString();
        int status;
        CellThreads engine = new CellThreads();
        try (JShell shell = JShell.builder().executionEngine(engine, Map.of()).build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            for (String s : PRELUDE) {
                if (!evaluate(shell, name, 0, s)) {
                    System.exit(1);
                }
            }
            long start = System.nanoTime();
            status = 0;
            for (int i = 0; i < cells.size() && status == 0; i++) {
                long t0 = System.nanoTime();
                System.out.printf(Locale.ROOT, "--- %s, code cell %d%n", name, i + 1);
                System.out.flush();
                engine.newThread();
                if (!runCell(shell, name, i + 1, cells.get(i))) {
                    status = 1;
                }
                System.out.printf(
                        Locale.ROOT,
                        "--- %s, code cell %d: %.1f s%n",
                        name,
                        i + 1,
                        (System.nanoTime() - t0) / 1e9);
            }
            System.out.flush();
            if (status == 0 && Displays.images() == 0) {
                System.err.println("FAILED " + name + ": no cell displayed a picture.");
                status = 3;
            }
            if (status == 0) {
                System.out.printf(
                        Locale.ROOT,
                        "OK %s: %d code cells, %d pictures, %.1f s%n",
                        name,
                        cells.size(),
                        Displays.images(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        System.out.flush();
        System.err.flush();
        // the engines leave non-daemon threads behind: end the JVM explicitly
        System.exit(status);
    }

    /** Runs snippets in this JVM, each cell's on one thread of its own. */
    static final class CellThreads implements ExecutionControlProvider {

        private ExecutorService thread = newExecutor();

        private static ExecutorService newExecutor() {
            return Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "notebook-cell");
                        t.setDaemon(true);
                        return t;
                    });
        }

        void newThread() {
            thread.shutdown();
            thread = newExecutor();
        }

        @Override
        public String name() {
            return "genlab-cell-threads";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new LocalExecutionControl() {
                @Override
                protected String invoke(Method doitMethod) throws Exception {
                    Future<Object> f = thread.submit(() -> doitMethod.invoke(null));
                    try {
                        return valueString(f.get());
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof Exception cause) {
                            throw cause; // the InvocationTargetException JShell unwraps
                        }
                        throw e;
                    }
                }
            };
        }
    }

    /**
     * Reads the sources of a notebook's code cells.
     *
     * @param notebook an {@code .ipynb} file
     * @return one source per code cell, in order
     * @throws IOException if it cannot be read
     */
    public static List<String> codeCells(Path notebook) throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if ("code".equals(cell.get("cell_type").getAsString())) {
                out.add(source(cell.get("source")));
            }
        }
        return out;
    }

    private static String source(JsonElement src) {
        if (src.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement line : (JsonArray) src) {
                sb.append(line.getAsString());
            }
            return sb.toString();
        }
        return src.getAsString();
    }

    private static boolean runCell(JShell shell, String notebook, int cell, String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                fail(notebook, cell, "incomplete code:\n" + rest);
                return false;
            }
            if (!evaluate(shell, notebook, cell, info.source())) {
                return false;
            }
            rest = info.remaining();
        }
        return true;
    }

    private static boolean evaluate(JShell shell, String notebook, int cell, String snippet) {
        List<SnippetEvent> events = shell.eval(snippet);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue; // a consequence (e.g. an earlier declaration replaced), not this snippet
            }
            if (e.status() == Snippet.Status.REJECTED) {
                String diags =
                        shell.diagnostics(e.snippet())
                                .map(d -> describe(d, e.snippet().source()))
                                .collect(Collectors.joining("\n"));
                fail(
                        notebook,
                        cell,
                        "does not compile:\n"
                                + (diags.isEmpty() ? "  (JShell gave no diagnostic)" : diags)
                                + "\nin:\n"
                                + e.snippet().source().strip());
                return false;
            }
            // a declaration that refers to something declared later is fine in JShell (and in the
            // kernels); using it before that throws UnresolvedReferenceException, caught below
            if (e.exception() != null) {
                StringBuilder sb = new StringBuilder();
                Throwable t = e.exception();
                if (t instanceof EvalException ee) {
                    sb.append(ee.getExceptionClassName()).append(": ").append(ee.getMessage());
                } else if (t instanceof UnresolvedReferenceException ure) {
                    sb.append("unresolved reference in ").append(ure.getSnippet().source().strip());
                } else {
                    sb.append(t);
                }
                for (StackTraceElement el : t.getStackTrace()) {
                    sb.append("\n    at ").append(el);
                }
                for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
                    sb.append("\nCaused by: ")
                            .append(c instanceof EvalException ce ? ce.getExceptionClassName() : "")
                            .append(" ")
                            .append(c.getMessage());
                }
                fail(notebook, cell, "threw " + sb + "\nwhile running:\n" + snippet.strip());
                return false;
            }
        }
        return true;
    }

    private static String describe(Diag d, String source) {
        long pos = d.getStartPosition();
        String where = "";
        if (pos >= 0 && pos <= source.length()) {
            int line = 1;
            for (int i = 0; i < pos; i++) {
                if (source.charAt(i) == '\n') {
                    line++;
                }
            }
            int start = source.lastIndexOf('\n', (int) Math.max(0, pos - 1)) + 1;
            int end = source.indexOf('\n', (int) pos);
            where =
                    " (snippet line "
                            + line
                            + ": "
                            + source.substring(start, end < 0 ? source.length() : end).strip()
                            + ")";
        }
        return "  " + d.getMessage(Locale.ROOT) + where;
    }

    private static void fail(String notebook, int cell, String what) {
        System.out.flush();
        System.err.println("FAILED " + notebook + ", code cell " + cell + " " + what);
        System.err.flush();
    }
}
