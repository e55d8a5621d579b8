package org.genlab.eval.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.Sampler;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * A text-conditional diffusion run as a {@link PromptDrawer}: the prompts become token ids, the
 * run's default sampler draws with classifier-free guidance at weight w (GLIDE, Nichol et al.
 * 2022): ε̃ = ε(x_t, ∅) + w · (ε(x_t, c) − ε(x_t, ∅)).
 */
public final class DiffusionPrompts implements PromptDrawer {

    private final TrainedModel model;
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final float w;
    private final int steps;

    /**
     * Wraps an opened text-conditional run.
     *
     * @param model the run
     * @param config its settings (the vocabulary and caption length)
     * @param w the guidance weight
     * @param steps sampler steps
     */
    public DiffusionPrompts(TrainedModel model, Map<String, String> config, float w, int steps) {
        this.model = model;
        this.tokenizer = TextConditioning.tokenizer(config);
        this.maxLength = TextConditioning.maxLength(config);
        this.w = w;
        this.steps = steps;
    }

    @Override
    public String label() {
        return String.format(Locale.ROOT, "%s-%d, w = %.1f", model.defaultSampler(), steps, w);
    }

    @Override
    public float guidance() {
        return w;
    }

    @Override
    public NDArray draw(List<String> prompts, NDManager manager) {
        Sampler s = model.sampler(model.defaultSampler(), steps, 0f);
        Denoiser d = ClassifierFreeGuidance.forCaptions(model.denoiser(), w);
        long[][] rows = new long[prompts.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = tokenizer.encode(prompts.get(i), maxLength);
        }
        NDArray ids = manager.create(rows);
        return model.decode(s.sample(d, manager, model.batchShape(rows.length), ids)).clip(-1f, 1f);
    }
}
