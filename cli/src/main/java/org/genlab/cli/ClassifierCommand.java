package org.genlab.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.eval.classifier.FeatureClassifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code genlab classifier}: trains (once) or loads the feature classifier {@code compare} measures
 * a data set's samples with, and prints its test accuracy. Teachers run it before a lab so that no
 * student waits for the CIFAR-10 one.
 */
@Command(
        name = "classifier",
        mixinStandardHelpOptions = true,
        description = {
            "Train the feature classifier genlab compare measures a data set with (once;"
                    + " later runs load it from the cache) and print its accuracy on the test split.",
            "Without DATASET: list the three classifiers and whether they are trained.",
            "On 2 CPU cores: MNIST and Fashion-MNIST a few minutes, CIFAR-10 about 50 min."
        })
public final class ClassifierCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "DATASET",
            description = "mnist, fashion-mnist or cifar10.")
    String dataset;

    @Option(names = "--data-dir", description = "Data cache (default: ~/.genlab/data).")
    Path dataDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (dataset == null) {
            for (String name : FeatureClassifier.DATASETS) {
                out.println(describe(FeatureClassifier.status(name, dataDir)));
            }
            out.flush();
            return 0;
        }
        if (!FeatureClassifier.DATASETS.contains(dataset)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "genlab classifier: no classifier for '"
                            + dataset
                            + "'. Choose one of "
                            + String.join(", ", FeatureClassifier.DATASETS)
                            + ".");
        }
        PrintStream log = System.out;
        try (FeatureClassifier clf =
                FeatureClassifier.obtain(dataset, dataDir, GlobalOptions.device(), log)) {
            FeatureClassifier.Status status = FeatureClassifier.status(dataset, dataDir);
            out.println(describe(status));
            out.printf(
                    Locale.ROOT,
                    "  %d features per image; compare reports the %s.%n",
                    clf.featureDim(),
                    clf.distanceName());
            if (clf.testAccuracy() < clf.target()) {
                out.printf(
                        Locale.ROOT,
                        "  Below its target: read its distances with care, or delete %s to"
                                + " train it again.%n",
                        status.dir());
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Describes a classifier in one line: data set, architecture, accuracy or how to train it, and
     * where it is cached.
     */
    static String describe(FeatureClassifier.Status s) {
        String state =
                s.trained()
                        ? String.format(
                                Locale.ROOT,
                                "test accuracy %.2f %% (target %.0f %%)",
                                100 * s.accuracy().getAsDouble(),
                                100 * s.target())
                        : String.format(
                                Locale.ROOT,
                                "not trained yet (genlab classifier %s; %d epochs)",
                                s.dataset(),
                                s.epochs());
        return String.format(
                Locale.ROOT, "%-14s %-9s %s  %s", s.dataset(), s.arch(), state, s.dir());
    }
}
