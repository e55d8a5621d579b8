package org.genlab.eval.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genlab.core.GenLabException;
import org.genlab.core.runtime.Seeds;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.caption.PromptSet;
import org.genlab.datasets.caption.PromptSet.Prompt;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.eval.classifier.FeatureClassifier;

/**
 * Prompt accuracy of a text-to-image model: one sample per prompt, scored by the feature classifier
 * (the class) and by the caption attribute measurement (each requested attribute's bin). The model
 * is any {@link PromptDrawer}; {@link Builder#setModel} wraps a text-conditional diffusion run
 * (classifier-free guidance at weight w).
 *
 * <pre>{@code
 * try (TrainedModel model = TrainedModel.open(run, manager, true)) {
 *     PromptAccuracy.Report r = PromptAccuracy.builder().setModel(model, run.config())
 *             .setClassifier(classifier).setTestSplit(test).build().evaluate(manager);
 *     System.out.println(r);
 * }
 * }</pre>
 */
public final class PromptAccuracy {

    private static final int CHUNK = 100;

    private final PromptDrawer drawer;
    private final FeatureClassifier classifier;
    private final CaptionedImages test;
    private final int prompts;
    private final int perHeldOut;
    private final long seed;

    private PromptAccuracy(Builder b) {
        drawer =
                b.drawer != null
                        ? b.drawer
                        : new DiffusionPrompts(b.model, b.config, b.guidance, b.steps);
        classifier = b.classifier;
        test = b.test;
        prompts = b.prompts;
        perHeldOut = b.perHeldOut;
        seed = b.seed;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What {@link #evaluate} measured.
     *
     * @param guidance w
     * @param test the score on prompts from the test split's compositions
     * @param heldOut the score on the held-out compositions
     * @param seconds sampling wall time in all
     * @param images images drawn
     */
    public record Report(
            float guidance,
            PromptSet.Score test,
            PromptSet.Score heldOut,
            double seconds,
            int images) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "w = %.1f: test prompts: %s; held-out compositions: attribute accuracy %.1f %%"
                            + " (%d prompts, class %.1f %%); %d images in %.1f s",
                    guidance,
                    test,
                    100 * heldOut.attributeAccuracy(),
                    heldOut.prompts(),
                    100 * heldOut.classAccuracy(),
                    images,
                    seconds);
        }
    }

    /**
     * Draws one image per prompt.
     *
     * @param list the prompts
     * @param manager where the images go
     * @return (N, C, H, W) in [−1, 1]
     */
    public NDArray draw(List<Prompt> list, NDManager manager) {
        NDList parts = new NDList();
        Seeds.seed(seed);
        for (int from = 0; from < list.size(); from += CHUNK) {
            int to = Math.min(list.size(), from + CHUNK);
            List<String> texts = new ArrayList<>();
            for (Prompt p : list.subList(from, to)) {
                texts.add(p.text());
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = drawer.draw(texts, sub);
                x.attach(manager);
                parts.add(x);
            }
        }
        return parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts, 0);
    }

    /**
     * Returns the model being measured.
     *
     * @return the drawer
     */
    public PromptDrawer drawer() {
        return drawer;
    }

    /**
     * Scores images drawn for prompts.
     *
     * @param list the prompts
     * @param images one image per prompt
     * @return the score
     */
    public PromptSet.Score score(List<Prompt> list, NDArray images) {
        return score(classifier, test, list, images);
    }

    /**
     * Scores images against prompts: the classifier's class, and each requested attribute's bin
     * measured as the captions were.
     *
     * @param classifier the data set's feature classifier
     * @param test the captioned split whose bins and measurement to use
     * @param list the prompts
     * @param images one image per prompt, (N, C, H, W) in [−1, 1]
     * @return the score
     */
    public static PromptSet.Score score(
            FeatureClassifier classifier, CaptionedImages test, List<Prompt> list, NDArray images) {
        double[][] p = classifier.probabilities(images);
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        double[][] measured = test.measure().measure(images);
        return PromptSet.score(list, predicted, measured, test.bins());
    }

    /**
     * Samples and scores the test prompts and the held-out compositions.
     *
     * @param manager a manager on the model's device
     * @return the report
     */
    public Report evaluate(NDManager manager) {
        List<Prompt> t = PromptSet.test(test, prompts, seed);
        List<Prompt> h = PromptSet.heldOut(test.captioner(), perHeldOut);
        long t0 = System.nanoTime();
        try (NDManager m = manager.newSubManager()) {
            NDArray xt = draw(t, m);
            NDArray xh = draw(h, m);
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Report(
                    drawer.guidance(), score(t, xt), score(h, xh), secs, t.size() + h.size());
        }
    }

    /** Builds a {@link PromptAccuracy}. */
    public static final class Builder {
        private TrainedModel model;
        private java.util.Map<String, String> config;
        private PromptDrawer drawer;
        private FeatureClassifier classifier;
        private CaptionedImages test;
        private float guidance = 3f;
        private int steps = 50;
        private int prompts = 500;
        private int perHeldOut = 20;
        private long seed = 1234;

        private Builder() {}

        /**
         * Sets the text-conditional run.
         *
         * @param model the opened run
         * @param config its settings (for the tokenizer)
         * @return this
         */
        public Builder setModel(TrainedModel model, java.util.Map<String, String> config) {
            this.model = model;
            this.config = config;
            return this;
        }

        /**
         * Sets any text-to-image model (instead of {@link #setModel}).
         *
         * @param drawer prompts in, one image each out
         * @return this
         */
        public Builder setDrawer(PromptDrawer drawer) {
            this.drawer = drawer;
            return this;
        }

        /**
         * Sets the feature classifier of the run's data set.
         *
         * @param classifier the classifier
         * @return this
         */
        public Builder setClassifier(FeatureClassifier classifier) {
            this.classifier = classifier;
            return this;
        }

        /**
         * Sets the captioned test split (prompts, bins and measurement come from it).
         *
         * @param test the split
         * @return this
         */
        public Builder setTestSplit(CaptionedImages test) {
            this.test = test;
            return this;
        }

        /**
         * Sets w (default 3).
         *
         * @param w the guidance weight
         * @return this
         */
        public Builder optGuidance(float w) {
            this.guidance = w;
            return this;
        }

        /**
         * Sets the sampler steps (default 50).
         *
         * @param steps steps
         * @return this
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets how many test prompts (default 500) and images per held-out composition (default
         * 20).
         *
         * @param prompts test prompts
         * @param perHeldOut images per held-out composition
         * @return this
         */
        public Builder optPrompts(int prompts, int perHeldOut) {
            this.prompts = prompts;
            this.perHeldOut = perHeldOut;
            return this;
        }

        /**
         * Sets the seed of the prompts and the noise (default 1234).
         *
         * @param seed the seed
         * @return this
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds it.
         *
         * @return the evaluation
         */
        public PromptAccuracy build() {
            if ((model == null && drawer == null) || classifier == null || test == null) {
                throw new GenLabException(
                        "PromptAccuracy: setModel (or setDrawer), setClassifier and setTestSplit"
                                + " are required.");
            }
            if (drawer == null && !model.isTextConditional()) {
                throw new GenLabException(
                        "Prompt accuracy needs a text-conditional run (genlab train diffusion"
                                + " --text).");
            }
            return new PromptAccuracy(this);
        }
    }
}
