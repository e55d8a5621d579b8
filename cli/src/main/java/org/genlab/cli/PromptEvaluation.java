package org.genlab.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.Locale;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.eval.classifier.FeatureClassifier;
import org.genlab.eval.prompt.PromptAccuracy;
import org.genlab.eval.prompt.PromptDrawer;

/** The {@code --evaluate N} of the text-to-image sample commands: prompt accuracy, printed. */
final class PromptEvaluation {

    private PromptEvaluation() {}

    /**
     * Draws N test prompts and 20 images per held-out composition and prints the score.
     *
     * @param drawer the model
     * @param dataset the data set it was trained on
     * @param n test prompts
     * @param seed the seed of the prompts
     * @param m a manager on the model's device
     * @param out where to print
     * @return the report
     */
    static PromptAccuracy.Report run(
            PromptDrawer drawer, String dataset, int n, long seed, NDManager m, PrintWriter out) {
        CaptionedImages test =
                CaptionedImages.of(
                        ImageDataset.builder().setName(dataset).optSplit(Split.TEST).build());
        try (FeatureClassifier fc =
                FeatureClassifier.obtain(dataset, null, m.getDevice(), System.out)) {
            out.printf(
                    Locale.ROOT,
                    "Drawing %d test prompts and the held-out compositions (%s) ...%n",
                    n,
                    drawer.label());
            out.flush();
            PromptAccuracy.Report r =
                    PromptAccuracy.builder()
                            .setDrawer(drawer)
                            .setClassifier(fc)
                            .setTestSplit(test)
                            .optPrompts(n, 20)
                            .optSeed(seed)
                            .build()
                            .evaluate(m);
            out.printf(Locale.ROOT, "Prompt accuracy, %s: %s.%n", drawer.label(), r);
            out.flush();
            return r;
        }
    }
}
