package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.train.RunFolder;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.text.clip.Clip;

/**
 * unCLIP from a prompt to a picture (Ramesh et al. 2022, §2): the caption y is embedded by CLIP's
 * text encoder, the prior draws a CLIP image embedding, and the decoder draws the image:
 *
 * <pre>
 *   z_t = normalize(f_txt(y) W_t)           CLIP's text embedding
 *   z_i ~ p(z_i | z_t)                      the prior ({@link Prior})
 *   x   ~ p(x | z_i)                        the decoder ({@link Variations#decode}, guided with w)
 * </pre>
 *
 * Prior and decoder must come from the same CLIP run: they speak its embedding space.
 *
 * <pre>{@code
 * try (UnClip u = UnClip.open(Path.of("runs/prior"), Path.of("runs/decoder"), 3f, 50, manager)) {
 *     NDArray x = u.sample(List.of("a bold 7", "a thin 2"), 42);    // (2, 1, 28, 28)
 * }
 * }</pre>
 */
public final class UnClip implements AutoCloseable {

    private final Prior prior;
    private final Variations decoder;
    private final Clip.Loaded clip;
    private final TrainedModel model;

    private UnClip(Prior prior, Variations decoder, Clip.Loaded clip, TrainedModel model) {
        this.prior = prior;
        this.decoder = decoder;
        this.clip = clip;
        this.model = model;
    }

    /**
     * Opens a prior run ({@code genlab train prior}) and a decoder run ({@code genlab train
     * diffusion --clip-image}) trained on the same CLIP run.
     *
     * @param priorRun the prior's folder
     * @param decoderRun the decoder's folder
     * @param w the decoder's classifier-free guidance weight
     * @param steps the decoder's sampler steps
     * @param manager where the networks go
     * @return the pipeline; close it to free the decoder
     * @throws GenLabException when either folder is of another kind or their CLIP runs differ
     */
    public static UnClip open(
            Path priorRun, Path decoderRun, float w, int steps, NDManager manager) {
        Path fromPrior = Prior.clipRun(priorRun).toAbsolutePath().normalize();
        RunFolder folder = RunFolder.open(decoderRun);
        if (!UnclipDecoder.isDecoder(folder.config())) {
            throw new GenLabException(
                    decoderRun
                            + " is not an unCLIP decoder: train one with genlab train diffusion"
                            + " --clip-image CLIP_RUN.");
        }
        Path fromDecoder = UnclipDecoder.clipRun(folder.config()).toAbsolutePath().normalize();
        if (!fromPrior.equals(fromDecoder)) {
            throw new GenLabException(
                    "The prior was trained on the CLIP run "
                            + fromPrior
                            + " but the decoder on "
                            + fromDecoder
                            + ": they must share one CLIP embedding space.");
        }
        Prior prior = Prior.open(priorRun, manager);
        Clip.Loaded clip = Clip.load(fromPrior, manager);
        TrainedModel model = TrainedModel.open(folder, manager, true);
        try {
            Variations v =
                    Variations.builder()
                            .setDecoder(model)
                            .setClip(clip.clip())
                            .optGuidance(w)
                            .optSampler(model.defaultSampler(), steps)
                            .build();
            return new UnClip(prior, v, clip, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Embeds prompts with CLIP's text encoder.
     *
     * @param prompts the prompts (unknown words are refused)
     * @param manager where the embeddings go
     * @return z_t, (B, D) unit rows
     */
    public NDArray textEmbeddings(List<String> prompts, NDManager manager) {
        NDArray ids = clip.tokenizer().encode(manager, prompts, clip.clip().spec().maxLength());
        try (NoGrad scope = NoGrad.enter()) {
            return clip.clip().encodeTexts(new ParameterStore(manager, false), ids);
        }
    }

    /**
     * Draws an image embedding per prompt with the prior.
     *
     * @param prompts the prompts
     * @param seed the prior's noise seed
     * @param manager where the embeddings go
     * @return z_i, (B, D) unit rows
     */
    public NDArray imageEmbeddings(List<String> prompts, long seed, NDManager manager) {
        return prior.sample(textEmbeddings(prompts, manager), seed);
    }

    /**
     * Draws one image per prompt: prompt → z_t → prior → z_i → decoder.
     *
     * @param prompts the prompts
     * @param seed the seed of the prior's and the decoder's noise
     * @param manager where the images go
     * @return (B, C, H, W) in [−1, 1]
     */
    public NDArray sample(List<String> prompts, long seed, NDManager manager) {
        return decoder.decode(imageEmbeddings(prompts, seed, manager), seed + 1);
    }

    /**
     * Returns the prior.
     *
     * @return the prior
     */
    public Prior prior() {
        return prior;
    }

    /**
     * Returns the decoder's sampler of variations (image → embedding → new images).
     *
     * @return the decoder
     */
    public Variations decoder() {
        return decoder;
    }

    @Override
    public void close() {
        model.close();
    }
}
