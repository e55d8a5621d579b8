package org.genlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabHome;
import org.genlab.core.runtime.RuntimeInfo;
import org.genlab.datasets.DatasetRegistry;
import org.genlab.datasets.DatasetStatus;
import org.genlab.eval.classifier.FeatureClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code genlab info}: versions, the engine and libtorch actually loaded, the devices DJL sees, and
 * the data cache.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Show GenLab, Java and DJL versions, the PyTorch build loaded (cpu or cuda),"
                    + " the devices DJL sees, which data sets are in the cache, and which feature"
                    + " classifiers are trained."
        })
public final class InfoCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String asked =
                GlobalOptions.deviceSpec()
                        + " -> "
                        + org.genlab.core.runtime.Devices.name(GlobalOptions.device());
        RuntimeInfo info = RuntimeInfo.collect();
        out.println("GenLab runtime");
        for (Map.Entry<String, String> e : info.facts().entrySet()) {
            out.printf("  %-18s %s%n", e.getKey() + ":", e.getValue());
        }
        out.printf("  %-18s %s%n", "Device asked:", asked);
        out.println("Devices");
        for (String d : info.devices()) {
            out.println("  " + d);
        }
        Path data = GenLabHome.dataDir();
        out.println("Data cache: " + data);
        for (DatasetStatus s : DatasetRegistry.status(data)) {
            out.printf(
                    "  %-14s %s%n",
                    s.name(),
                    s.present()
                            ? String.format("present, %.1f MB", s.bytes() / 1e6)
                            : "not fetched (genlab datasets fetch " + s.name() + ")");
        }
        out.println("Feature classifiers (genlab classifier DATASET trains one)");
        for (String name : FeatureClassifier.DATASETS) {
            out.println("  " + ClassifierCommand.describe(FeatureClassifier.status(name, data)));
        }
        out.flush();
        return 0;
    }
}
