package org.genlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code genlab} command in this JVM, as the tests need it. */
final class CliRun {

    private CliRun() {}

    /**
     * Runs the command.
     *
     * @param args its arguments
     * @return {status, standard output, standard error}
     */
    static String[] run(String... args) {
        CommandLine cl = GenLabCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }
}
