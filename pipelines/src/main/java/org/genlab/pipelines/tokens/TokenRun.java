package org.genlab.pipelines.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.autoregressive.sample.TokenSampler;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.pipelines.text2image.TextConditioning;
import org.genlab.text.tokenizer.Tokenizer;

/**
 * A trained image-token transformer opened from its run folder, ready to draw images: DALL-E in
 * miniature (Ramesh et al., "Zero-Shot Text-to-Image Generation", ICML 2021). The run's {@code
 * config.properties} holds the transformer's {@code transformer.*} settings, the VQ autoencoder run
 * it models ({@value #AUTOENCODER_KEY}) and, for a text run, the caption vocabulary ({@value
 * TextConditioning#VOCABULARY_KEY}, the words in id order). Sampling draws the N tokens one by one
 * after the prefix and the autoencoder's decoder turns them into pixels:
 *
 * <pre>
 *   z ~ Π_i p(z_i | prefix, z_{&lt;i})          prefix = class, caption or null
 *   x = Decoder(e_z)                           (B, C, H, W) in [−1, 1]
 * </pre>
 *
 * <pre>{@code
 * TokenRun run = TokenRun.open(Path.of("runs/ar"), manager);
 * NDArray x = run.sample(manager.create(new long[] {3, 3, 7}), 3, Sampling.plain(42));
 * }</pre>
 */
public final class TokenRun {

    /** The config key of the VQ autoencoder run the tokens come from (an absolute path). */
    public static final String AUTOENCODER_KEY = "autoencoderRun";

    private final Path dir;
    private final TokenTransformer net;
    private final VqRun vq;
    private final Tokenizer tokenizer;
    private final long step;
    private final NDManager manager;
    private final ParameterStore ps;

    private TokenRun(
            Path dir,
            TokenTransformer net,
            VqRun vq,
            Tokenizer tokenizer,
            long step,
            NDManager manager) {
        this.dir = dir;
        this.net = net;
        this.vq = vq;
        this.tokenizer = tokenizer;
        this.step = step;
        this.manager = manager;
        this.ps = new ParameterStore(manager, false);
    }

    /**
     * Opens a run written by {@code genlab train autoregressive}: the transformer from its settings
     * and checkpoint, the VQ autoencoder it recorded, and the tokenizer of a text run.
     *
     * @param run the run folder
     * @param manager where the weights go
     * @return the run
     * @throws GenLabException (one line) when the folder is not a finished token run, or its
     *     autoencoder no longer matches
     */
    public static TokenRun open(Path run, NDManager manager) {
        RunFolder folder = RunFolder.open(run);
        Map<String, String> config = folder.config();
        if (!config.containsKey("transformer.codes")) {
            throw new GenLabException(
                    run
                            + " is not an autoregressive run (no transformer.* settings): give a"
                            + " folder written by `genlab train autoregressive`.");
        }
        if (!folder.hasCheckpoint()) {
            throw new GenLabException("The run " + run + " has no checkpoint.zip: train it first.");
        }
        String ae = config.get(AUTOENCODER_KEY);
        if (ae == null || ae.isBlank()) {
            throw new GenLabException(
                    "The run "
                            + run
                            + " does not record its autoencoder ("
                            + AUTOENCODER_KEY
                            + ").");
        }
        VqRun vq = VqRun.load(Path.of(ae), manager);
        TokenTransformer net = TokenTransformer.fromConfig(config);
        if (net.codes() != vq.codes() || net.length() != vq.tokensPerImage()) {
            throw new GenLabException(
                    "The run "
                            + run
                            + " models "
                            + net.length()
                            + " tokens of "
                            + net.codes()
                            + " codes, but its autoencoder "
                            + ae
                            + " now has "
                            + vq.tokensPerImage()
                            + " of "
                            + vq.codes()
                            + ": it was retrained; train the transformer again.");
        }
        Tokenizer tok = net.readsCaptions() ? TextConditioning.tokenizer(config) : null;
        if (tok != null && tok.size() != net.captionVocabulary()) {
            throw new GenLabException(
                    "The run's vocabulary has "
                            + tok.size()
                            + " ids but its transformer reads "
                            + net.captionVocabulary()
                            + ": config.properties was edited.");
        }
        long step;
        try (NoGrad scope = NoGrad.enter()) {
            net.initialize(manager);
            step =
                    Checkpoint.loadNetwork(
                                    folder.checkpointFile(),
                                    TokenTransformer.MODEL,
                                    TokenTransformer.NETWORK,
                                    net,
                                    true)
                            .getStep();
        }
        return new TokenRun(folder.dir(), net, vq, tok, step, manager);
    }

    /**
     * Tells whether the run reads captions (trained with {@code --text}).
     *
     * @return true for a text run
     */
    public boolean isTextConditional() {
        return net.readsCaptions();
    }

    /**
     * Returns C, the number of classes of a class-conditional run.
     *
     * @return C, 0 for unconditional and text runs
     */
    public int classes() {
        return net.classes();
    }

    /**
     * Returns the caption vocabulary of a text run.
     *
     * @return the tokenizer
     * @throws GenLabException for a run that reads no captions
     */
    public Tokenizer tokenizer() {
        if (tokenizer == null) {
            throw new GenLabException(
                    "This run reads no captions: it was not trained with --text.");
        }
        return tokenizer;
    }

    /**
     * Encodes prompts as caption rows of L word ids (unknown words are refused, naming them).
     *
     * @param prompts the prompts
     * @return (P, L) word ids, in the run's manager
     */
    public NDArray captions(List<String> prompts) {
        return tokenizer().encode(manager, prompts, net.prefixLength());
    }

    /**
     * Draws token grids.
     *
     * @param conditions (B) class labels, (B, L) caption word ids, or null for n samples with the
     *     null condition (unconditional)
     * @param n how many to draw when conditions is null (otherwise B)
     * @param s temperature, top-k, guidance weight and seed (guidance needs conditions)
     * @return (B, h, w) int64 tokens
     */
    public NDArray tokens(NDArray conditions, int n, Sampling s) {
        NDArray prefix = prefix(conditions, n);
        TokenSampler sampler =
                TokenSampler.builder()
                        .setModel(net)
                        .optTemperature(s.temperature())
                        .optTopK(s.topK())
                        .optGuidance(conditions == null ? 1f : s.guidance())
                        .optGrid(gridHeight(), gridWidth())
                        .build();
        Seeds.seed(s.seed());
        return sampler.sample(ps, prefix);
    }

    /**
     * Draws images: {@link #tokens} decoded by the VQ autoencoder.
     *
     * @param conditions (B) class labels, (B, L) caption word ids, or null (unconditional)
     * @param n how many to draw when conditions is null
     * @param s the sampling settings
     * @return (B, C, H, W) in [−1, 1]
     */
    public NDArray sample(NDArray conditions, int n, Sampling s) {
        return decode(tokens(conditions, n, s));
    }

    /**
     * Draws one image and shows it being written: frame k decodes the grid whose first k tokens
     * (raster order) are drawn and whose others are still the code of a black patch.
     *
     * @param condition (1) a class label, (1, L) a caption, or null (unconditional)
     * @param s the sampling settings
     * @return (N + 1, C, H, W) in [−1, 1], frame 0 empty, frame N the finished image
     */
    public NDArray writing(NDArray condition, Sampling s) {
        long[] z = tokens(condition, 1, s).toLongArray();
        long blank = blankCode();
        int n = z.length;
        long[] frames = new long[(n + 1) * n];
        for (int k = 0; k <= n; k++) {
            for (int j = 0; j < n; j++) {
                frames[k * n + j] = j < k ? z[j] : blank;
            }
        }
        return decode(manager.create(frames, new Shape(n + 1, gridHeight(), gridWidth())));
    }

    /**
     * Decodes token grids to images.
     *
     * @param tokens (B, h, w) codes
     * @return (B, C, H, W) in [−1, 1]
     */
    public NDArray decode(NDArray tokens) {
        try (NoGrad scope = NoGrad.enter()) {
            return vq.model().decodeTokens(ps, tokens).clip(-1f, 1f);
        }
    }

    /** The code of an all-black image's patch: where the writing frames show nothing yet. */
    private long blankCode() {
        Shape image = new Shape(1).addAll(vq.model().imageShape());
        try (NDManager sub = manager.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            NDArray z = vq.model().tokens(ps, sub.full(image, -1f, DataType.FLOAT32));
            return z.toType(DataType.INT64, false).toLongArray()[0];
        }
    }

    private NDArray prefix(NDArray conditions, int n) {
        if (conditions == null) {
            return net.nullTokens(manager, n);
        }
        if (net.classes() == 0 && !net.readsCaptions()) {
            throw new GenLabException(
                    "This run is unconditional: it draws without labels or captions.");
        }
        return net.conditionTokens(conditions);
    }

    /**
     * Returns the transformer (with its trained weights).
     *
     * @return the network
     */
    public TokenTransformer transformer() {
        return net;
    }

    /**
     * Returns the VQ autoencoder run the tokens come from.
     *
     * @return the autoencoder run
     */
    public VqRun autoencoder() {
        return vq;
    }

    /**
     * Returns the run folder.
     *
     * @return the folder
     */
    public Path dir() {
        return dir;
    }

    /**
     * Returns the training step of the checkpoint.
     *
     * @return the step
     */
    public long step() {
        return step;
    }

    private int gridHeight() {
        return (int) vq.model().latentShape().get(1);
    }

    private int gridWidth() {
        return (int) vq.model().latentShape().get(2);
    }
}
