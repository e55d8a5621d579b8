package org.genlab.cli;

import java.io.PrintWriter;
import org.genlab.core.GenLab;
import org.genlab.core.GenLabException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top {@code genlab} command. Run it without arguments for the list of subcommands. */
@Command(
        name = "genlab",
        mixinStandardHelpOptions = true,
        versionProvider = GenLabCommand.Version.class,
        description = {
            "GenLab: train GANs, diffusion models and text-to-image models on MNIST,"
                    + " Fashion-MNIST and CIFAR-10, on a GPU when there is one and on the CPU"
                    + " otherwise, and see what they learned."
        },
        subcommands = {
            InfoCommand.class,
            DatasetsCommand.class,
            TrainCommand.class,
            SampleCommand.class,
            InterpolateCommand.class,
            InpaintCommand.class,
            EditCommand.class,
            VariationsCommand.class,
            ClipCommand.class,
            CompareCommand.class,
            ClassifierCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            ProvenanceCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GenLabCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--device",
            scope = ScopeType.INHERIT,
            paramLabel = "DEVICE",
            description =
                    "auto (a GPU if DJL sees one, else the CPU), cpu, gpu or gpu:N."
                            + " Default: ${DEFAULT-VALUE}.",
            defaultValue = "auto")
    void setDevice(String device) {
        GlobalOptions.setDevice(device);
    }

    @Option(
            names = "--seed",
            scope = ScopeType.INHERIT,
            paramLabel = "SEED",
            description = "Seed for every random generator; runs record it. Default: 42.")
    void setSeed(long seed) {
        GlobalOptions.setSeed(seed);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int status;
        try {
            status = execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println(
                    "genlab: out of memory ("
                            + e.getMessage()
                            + "). Lower --batch or --n, or give Java more memory"
                            + " (JAVA_OPTS=-Xmx8g).");
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Runs the command line and returns its exit status (0 ok, 2 a usage or input error).
     *
     * @param args the arguments
     * @return the exit status
     */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /**
     * Builds the picocli command line with GenLab's error handling.
     *
     * @return the command line
     */
    public static CommandLine newCommandLine() {
        GlobalOptions.reset();
        CommandLine cl = new CommandLine(new GenLabCommand());
        Checks.install(cl);
        cl.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    Throwable t = e;
                    while (!(t instanceof GenLabException) && t.getCause() != null) {
                        t = t.getCause();
                    }
                    if (t instanceof GenLabException) {
                        err.println(
                                commandLine
                                        .getColorScheme()
                                        .errorText("genlab: " + t.getMessage()));
                        err.flush();
                        return 2;
                    }
                    return unexpected(e, commandLine);
                });
        return cl;
    }

    /**
     * An error GenLab did not foresee: one line saying what happened, the stack trace only with
     * {@code GENLAB_DEBUG=1}; exit status 1.
     */
    private static int unexpected(Exception e, CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        Throwable t = e;
        while (t.getCause() != null
                && (t instanceof CommandLine.ExecutionException
                        || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String what =
                t instanceof java.io.UncheckedIOException || t instanceof java.io.IOException
                        ? "an input/output error"
                        : t instanceof NumberFormatException
                                ? "a number that could not be read"
                                : "an unexpected error";
        err.println(
                commandLine
                        .getColorScheme()
                        .errorText(
                                "genlab: "
                                        + what
                                        + " ("
                                        + t.getClass().getSimpleName()
                                        + ": "
                                        + t.getMessage()
                                        + "). Run again with GENLAB_DEBUG=1 for the details,"
                                        + " and report it if it looks like a GenLab bug."));
        if ("1".equals(System.getenv("GENLAB_DEBUG"))) {
            t.printStackTrace(err);
        }
        err.flush();
        return t instanceof NumberFormatException ? 2 : 1;
    }

    /** Prints the versions of GenLab, DJL and Java. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                GenLab.software(),
                "DJL " + GenLab.djlVersion() + " (PyTorch engine)",
                "Java " + System.getProperty("java.version")
            };
        }
    }
}
