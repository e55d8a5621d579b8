package org.genlab.cli;

import picocli.CommandLine.Option;

/** The {@code --overwrite} flag every train command shares (see {@link ResumeSettings}). */
final class Overwrite {

    @Option(
            names = "--overwrite",
            description =
                    "Replace the run the folder holds (its checkpoints, losses, settings and"
                            + " samples). Without it GenLab refuses to train into a folder that"
                            + " holds a run, unless --resume.")
    boolean overwrite;
}
