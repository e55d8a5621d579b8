package org.genlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code genlab train}: the parent of {@code train gan}, {@code train diffusion} and {@code train
 * autoencoder}.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a model and write a run folder (samples, losses, checkpoint, config).",
        subcommands = {
            TrainGanCommand.class,
            TrainDiffusionCommand.class,
            TrainAutoencoderCommand.class,
            TrainClipCommand.class,
            TrainAutoregressiveCommand.class,
            TrainNoisyClassifierCommand.class,
            TrainPriorCommand.class
        })
public final class TrainCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
