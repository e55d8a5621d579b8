package org.genlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code genlab provenance FILE}: reads back the label GenLab writes into its PNGs — the software,
 * the model, the run, the seed and the AI-generated disclosure.
 */
@Command(
        name = "provenance",
        mixinStandardHelpOptions = true,
        description = {
            "Read the provenance written into a PNG: software, model, run, seed, and"
                    + " whether it declares itself AI-generated (IPTC digital source type"
                    + " trainedAlgorithmicMedia)."
        })
public final class ProvenanceCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "PNG files to read.", arity = "1..*")
    Path[] files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int unlabelled = 0;
        for (Path f : files) {
            Map<String, String> text = PngWriter.readText(f);
            out.println(f);
            if (text.isEmpty()) {
                out.println("  no provenance: this PNG carries no text chunks.");
            }
            for (Map.Entry<String, String> e : text.entrySet()) {
                if (e.getKey().startsWith("XML:")) {
                    out.printf(
                            "  %-18s (XMP packet, %d characters)%n",
                            e.getKey(), e.getValue().length());
                } else {
                    out.printf("  %-18s %s%n", e.getKey() + ":", e.getValue());
                }
            }
            boolean ai =
                    Provenance.TRAINED_ALGORITHMIC_MEDIA.equals(
                            text.get(Provenance.KEY_SOURCE_TYPE));
            out.println(
                    ai
                            ? "  => declared AI-generated (trainedAlgorithmicMedia)"
                            : "  => no AI-generated declaration found");
            if (!ai) {
                unlabelled++;
            }
        }
        out.flush();
        return unlabelled == 0 ? 0 : 1;
    }
}
