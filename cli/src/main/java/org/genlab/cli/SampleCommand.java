package org.genlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code genlab sample}: the parent of {@code sample gan}, {@code sample diffusion}, {@code sample
 * autoregressive} and {@code sample unclip}.
 */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        description = "Draw samples from a trained run.",
        subcommands = {
            SampleGanCommand.class,
            SampleDiffusionCommand.class,
            SampleAutoregressiveCommand.class,
            SampleUnclipCommand.class
        })
public final class SampleCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
