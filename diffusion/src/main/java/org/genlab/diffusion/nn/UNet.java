package org.genlab.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;
import org.genlab.core.nn.Upsample;

/**
 * The denoising UNet of Ho et al. 2020 (after PixelCNN++ and Ronneberger et al. 2015), scaled to
 * taste: at each of L resolutions R {@link ResidualBlock}s with GroupNorm and SiLU, the sinusoidal
 * step embedding added in every block, {@link SelfAttention} at the lowest resolution, skip
 * connections from the down path to the up path, stride-2 convolutions down and nearest-neighbour
 * upsampling + convolution up (DJL's {@code Conv2dTranspose} does not run on PyTorch; resize-conv
 * also avoids checkerboards, Odena et al. 2016).
 *
 * <p>With {@link Builder#optNumClasses(int) K classes} it is class-conditional: a learned embedding
 * of the label (K + 1 entries, the last is the "null" class ∅ used for classifier-free guidance, Ho
 * &amp; Salimans 2022) is added to the step embedding.
 *
 * <p>With {@link Builder#optTextEncoder a text encoder} it is text-conditional (GLIDE, Nichol et
 * al. 2022): a {@link CrossAttention} after every self-attention reads the caption's token
 * embeddings, and the pooled caption embedding is added to the step embedding.
 *
 * <p>With {@link Builder#optEmbeddingEncoder an embedding encoder} the context is a float vector
 * (B, D) instead of token ids, e.g. a CLIP image embedding (the unCLIP decoder, Ramesh et al.
 * 2022): the encoder turns it into a few context tokens and a pooled vector, read the same way.
 *
 * <p>Forward inputs: {@code (x_t (B, C, H, W), t float32 (B)[, labels int64 (B), token ids int64
 * (B, L) or a condition vector float32 (B, D)])}; output ε̂ (or v̂) shaped like x_t. Presets:
 * {@link #cpu(int, int)} (MNIST on a laptop CPU), {@link #gpu(int, int)} (CIFAR-10 on a GPU) and
 * {@link #latent(int, int)} (7×7 or 8×8 autoencoder latents).
 */
public final class UNet extends LazyBlock {

    private final int channels;
    private final int base;
    private final int[] mults;
    private final int numResBlocks;
    private final int numClasses;
    private final int embDim;

    private final Block convIn;
    private final Block timeMlp1;
    private final Block timeMlp2;
    private final Block classEmb;
    private final Block textEncoder;
    private final boolean textTrainable;
    private final int contextLength;
    private final DataType contextType;
    private final Block pooledEmb;
    private final List<Block> down = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final Block mid1;
    private final Block midAttn;
    private final Block midCross;
    private final Block mid2;
    private final Block normOut;
    private final Block convOut;

    private UNet(Builder b) {
        channels = b.channels;
        base = b.base;
        mults = b.mults.clone();
        numResBlocks = b.numResBlocks;
        numClasses = b.numClasses;
        embDim = 4 * base;
        int g = b.groups;
        int levels = mults.length;
        convIn = addChildBlock("convIn", ResidualBlock.conv3x3(base * mults[0]));
        timeMlp1 = addChildBlock("time1", Linear.builder().setUnits(embDim).build());
        timeMlp2 = addChildBlock("time2", Linear.builder().setUnits(embDim).build());
        classEmb =
                numClasses > 0
                        ? addChildBlock(
                                "classEmb",
                                Linear.builder().setUnits(embDim).optBias(false).build())
                        : null;
        textEncoder = b.textEncoder == null ? null : addChildBlock("text", b.textEncoder);
        textTrainable = b.textTrainable;
        contextLength = b.contextLength;
        contextType = b.contextType;
        pooledEmb =
                textEncoder != null
                        ? addChildBlock(
                                "pooledEmb",
                                Linear.builder().setUnits(embDim).optBias(false).build())
                        : null;
        boolean text = textEncoder != null;
        Deque<Integer> skips = new ArrayDeque<>();
        int ch = base * mults[0];
        skips.push(ch);
        for (int l = 0; l < levels; l++) {
            int out = base * mults[l];
            for (int r = 0; r < numResBlocks; r++) {
                down.add(
                        addChildBlock(
                                "down" + l + "_res" + r, new ResidualBlock(ch, out, g, b.dropout)));
                ch = out;
                if (l == levels - 1) {
                    down.add(addChildBlock("down" + l + "_attn" + r, new SelfAttention(ch, g)));
                    if (text) {
                        down.add(
                                addChildBlock(
                                        "down" + l + "_xattn" + r,
                                        new CrossAttention(ch, b.heads, g)));
                    }
                }
                skips.push(ch);
            }
            if (l != levels - 1) {
                down.add(
                        addChildBlock(
                                "down" + l + "_pool",
                                Conv2d.builder()
                                        .setKernelShape(new Shape(3, 3))
                                        .optStride(new Shape(2, 2))
                                        .optPadding(new Shape(1, 1))
                                        .setFilters(ch)
                                        .build()));
                skips.push(ch);
            }
        }
        mid1 = addChildBlock("mid1", new ResidualBlock(ch, ch, g, b.dropout));
        midAttn = addChildBlock("midAttn", new SelfAttention(ch, g));
        midCross = text ? addChildBlock("midXattn", new CrossAttention(ch, b.heads, g)) : null;
        mid2 = addChildBlock("mid2", new ResidualBlock(ch, ch, g, b.dropout));
        for (int l = levels - 1; l >= 0; l--) {
            int out = base * mults[l];
            for (int r = 0; r <= numResBlocks; r++) {
                int in = ch + skips.pop();
                up.add(
                        addChildBlock(
                                "up" + l + "_res" + r, new ResidualBlock(in, out, g, b.dropout)));
                ch = out;
                if (l == levels - 1) {
                    up.add(addChildBlock("up" + l + "_attn" + r, new SelfAttention(ch, g)));
                    if (text) {
                        up.add(
                                addChildBlock(
                                        "up" + l + "_xattn" + r,
                                        new CrossAttention(ch, b.heads, g)));
                    }
                }
            }
            if (l != 0) {
                up.add(addChildBlock("up" + l + "_upsample", ResidualBlock.conv3x3(ch)));
            }
        }
        normOut = addChildBlock("normOut", new GroupNorm(g));
        convOut = addChildBlock("convOut", ResidualBlock.conv3x3(channels));
        setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }

    /**
     * The preset for MNIST / Fashion-MNIST on a laptop CPU: 32 base channels, 2 levels (28 → 14),
     * one residual block per level, attention at 14×14 (≈ 1.1 M parameters with 10 classes).
     *
     * @param channels image channels
     * @param numClasses classes, or 0 for an unconditional model
     * @return the builder, to adjust further
     */
    public static Builder cpu(int channels, int numClasses) {
        return builder()
                .setChannels(channels)
                .optBaseChannels(32)
                .optChannelMultipliers(1, 2)
                .optNumResBlocks(1)
                .optGroups(8)
                .optNumClasses(numClasses);
    }

    /**
     * The preset for CIFAR-10 on a GPU, close to Ho et al.'s CIFAR-10 model: 128 base channels,
     * multipliers (1, 2, 2, 2), 2 residual blocks per level, dropout 0.1, 32 groups.
     *
     * @param channels image channels
     * @param numClasses classes, or 0
     * @return the builder
     */
    public static Builder gpu(int channels, int numClasses) {
        return builder()
                .setChannels(channels)
                .optBaseChannels(128)
                .optChannelMultipliers(1, 2, 2, 2)
                .optNumResBlocks(2)
                .optGroups(32)
                .optDropout(0.1f)
                .optNumClasses(numClasses);
    }

    /**
     * The preset for the small latents of latent diffusion (Rombach et al. 2022), 7×7 or 8×8: one
     * resolution (a 7×7 grid has nothing left to halve), 64 channels, 2 residual blocks, attention
     * after every block (≈ 0.96 M parameters) — every pixel of the latent already stands for a 4×4
     * patch of the image.
     *
     * @param channels latent channels c
     * @param numClasses classes, or 0
     * @return the builder
     */
    public static Builder latent(int channels, int numClasses) {
        return builder()
                .setChannels(channels)
                .optBaseChannels(64)
                .optChannelMultipliers(1)
                .optNumResBlocks(2)
                .optGroups(8)
                .optNumClasses(numClasses);
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
     * Initialises every parameter for images of the given size.
     *
     * @param manager where the parameters live
     * @param height H (divisible by 2^(levels − 1))
     * @param width W
     */
    public void initialize(NDManager manager, int height, int width) {
        int f = 1 << (mults.length - 1);
        if (height % f != 0 || width % f != 0) {
            throw new GenLabException(
                    "A UNet with "
                            + mults.length
                            + " levels needs a size divisible by "
                            + f
                            + ", got "
                            + height
                            + "×"
                            + width
                            + ". Use fewer levels.");
        }
        // one forward pass on zeros initialises every child (LazyBlock)
        Shape x = new Shape(2, channels, height, width);
        if (textEncoder != null) {
            initialize(manager, DataType.FLOAT32, x, new Shape(2), new Shape(2, contextLength));
            if (!textTrainable) {
                textEncoder.freezeParameters(true);
            }
        } else if (numClasses > 0) {
            initialize(manager, DataType.FLOAT32, x, new Shape(2), new Shape(2));
        } else {
            initialize(manager, DataType.FLOAT32, x, new Shape(2));
        }
    }

    /**
     * The labels or token ids, input 2, are int64 (a condition vector: float32); x_t and t are
     * float32.
     */
    @Override
    protected DataType inputType(int i) {
        return i == 2 ? (textEncoder != null ? contextType : DataType.INT64) : DataType.FLOAT32;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        NDArray emb = TimeEmbedding.sinusoidal(t, base);
        emb = Children.call(timeMlp1, ps, training, emb);
        emb = Children.call(timeMlp2, ps, training, Scalars.silu(emb));
        if (classEmb != null) {
            NDArray labels;
            if (inputs.size() > 2) {
                labels = inputs.get(2);
            } else {
                labels = x.getManager().full(new Shape(x.getShape().get(0)), numClasses);
            }
            NDArray oneHot = labels.toType(DataType.INT64, false).oneHot(numClasses + 1);
            emb = emb.add(Children.call(classEmb, ps, training, oneHot));
        }
        NDArray context = null;
        NDArray contextMask = null;
        if (textEncoder != null) {
            // the caption's token ids (or the condition vector); none given means ∅: the empty
            // caption (all padding) or the zero vector
            NDArray ids =
                    inputs.size() > 2
                            ? inputs.get(2)
                            : x.getManager()
                                    .zeros(
                                            new Shape(x.getShape().get(0), contextLength),
                                            contextType);
            // integer ids become int64; a float condition vector goes to the encoder as it is
            NDList words =
                    encode(
                            ps,
                            ids.getDataType().isFloating()
                                    ? ids
                                    : ids.toType(DataType.INT64, false),
                            training);
            context = words.get(0);
            contextMask = words.get(1);
            // GLIDE: the pooled caption embedding joins the step embedding
            emb = emb.add(Children.call(pooledEmb, ps, training, words.get(2)));
        }
        NDArray h = Children.call(convIn, ps, training, x);
        Deque<NDArray> hs = new ArrayDeque<>();
        hs.push(h);
        for (Block b : down) {
            if (b instanceof ResidualBlock) {
                h = Children.call(b, ps, training, h, emb);
                hs.push(h);
            } else if (b instanceof SelfAttention) {
                h = Children.call(b, ps, training, h);
                hs.pop();
                hs.push(h);
            } else if (b instanceof CrossAttention) {
                h = Children.call(b, ps, training, h, context, contextMask);
                hs.pop();
                hs.push(h);
            } else {
                h = Children.call(b, ps, training, h);
                hs.push(h);
            }
        }
        h = Children.call(mid1, ps, training, h, emb);
        h = Children.call(midAttn, ps, training, h);
        if (midCross != null) {
            h = Children.call(midCross, ps, training, h, context, contextMask);
        }
        h = Children.call(mid2, ps, training, h, emb);
        for (Block b : up) {
            if (b instanceof ResidualBlock) {
                h = Children.call(b, ps, training, h.concat(hs.pop(), 1), emb);
            } else if (b instanceof SelfAttention) {
                h = Children.call(b, ps, training, h);
            } else if (b instanceof CrossAttention) {
                h = Children.call(b, ps, training, h, context, contextMask);
            } else {
                h = Children.call(b, ps, training, Upsample.nearest2x(h));
            }
        }
        h = Scalars.silu(Children.call(normOut, ps, training, h));
        return new NDList(Children.call(convOut, ps, training, h));
    }

    /**
     * Runs the text encoder: token ids (B, L) → (tokens (B, L, D), mask (B, L), pooled (B, D)). A
     * frozen encoder runs in inference mode (its weights are not trained).
     */
    private NDList encode(ParameterStore ps, NDArray ids, boolean training) {
        NDList in = new NDList(ids);
        if (!textEncoder.isInitialized()) {
            textEncoder.initialize(ps.getManager(), DataType.FLOAT32, in.getShapes());
        }
        NDList out = textEncoder.forward(ps, in, training && textTrainable);
        if (out.size() < 3) {
            throw new GenLabException(
                    "UNet: the text encoder must return (tokens (B, L, D), mask (B, L), pooled (B,"
                            + " D)), got "
                            + out.size()
                            + " arrays.");
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /**
     * Returns whether the network reads a caption (token ids) instead of a class label.
     *
     * @return true with a text encoder
     */
    public boolean isTextConditional() {
        return textEncoder != null;
    }

    /**
     * Returns whether the context is a float condition vector (B, D) read through {@link
     * Builder#optEmbeddingEncoder} (e.g. a CLIP image embedding) rather than token ids.
     *
     * @return true for an embedding-conditional network
     */
    public boolean isEmbeddingConditional() {
        return textEncoder != null && contextType.isFloating();
    }

    /**
     * Returns the caption length L the network reads (0 without text; D for a condition vector).
     *
     * @return L
     */
    public int contextLength() {
        return contextLength;
    }

    /**
     * Returns the text encoder (or {@code null}), e.g. to load pretrained weights into it.
     *
     * @return the encoder block
     */
    public Block textEncoder() {
        return textEncoder;
    }

    /**
     * Returns the number of classes (0 if unconditional); the null class is this index.
     *
     * @return K
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the image channel count.
     *
     * @return C
     */
    public int channels() {
        return channels;
    }

    @Override
    public String toString() {
        return "UNet(base="
                + base
                + ", mults="
                + Arrays.toString(mults)
                + ", res="
                + numResBlocks
                + ", classes="
                + numClasses
                + (textEncoder == null
                        ? ""
                        : contextType.isFloating()
                                ? ", embedding=" + contextLength
                                : ", text=" + contextLength + " tokens")
                + ")";
    }

    /** Builds a {@link UNet}. */
    public static final class Builder {
        private int channels = -1;
        private int base = 32;
        private int[] mults = {1, 2};
        private int numResBlocks = 1;
        private int groups = 8;
        private int numClasses;
        private float dropout;
        private Block textEncoder;
        private int contextLength;
        private DataType contextType = DataType.INT64;
        private boolean textTrainable;
        private int heads = 4;

        private Builder() {}

        /**
         * Sets the image channels (1 for MNIST, 3 for CIFAR-10).
         *
         * @param channels C
         * @return this
         */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /**
         * Sets the channel count of the first level (default 32).
         *
         * @param base channels
         * @return this
         */
        public Builder optBaseChannels(int base) {
            this.base = base;
            return this;
        }

        /**
         * Sets the channel multiplier of each level; their number is the depth (default 1, 2).
         *
         * @param mults multipliers
         * @return this
         */
        public Builder optChannelMultipliers(int... mults) {
            this.mults = mults.clone();
            return this;
        }

        /**
         * Sets the residual blocks per level (default 1).
         *
         * @param n blocks
         * @return this
         */
        public Builder optNumResBlocks(int n) {
            this.numResBlocks = n;
            return this;
        }

        /**
         * Sets the GroupNorm group count (default 8).
         *
         * @param groups G
         * @return this
         */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /**
         * Makes the model class-conditional with K classes plus a null class (default 0:
         * unconditional).
         *
         * @param numClasses K
         * @return this
         */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Makes the model text-conditional, as GLIDE (Nichol et al. 2022): the caption's token
         * embeddings are read by a {@link CrossAttention} after every self-attention, and its
         * pooled embedding is added to the step embedding. The forward's third input is then the
         * caption's token ids (B, L) int64 instead of a class label; a row of zeros (all padding)
         * is the empty caption ∅ of classifier-free guidance.
         *
         * @param encoder any block taking token ids (B, L) int64 and returning (tokens (B, L, D),
         *     mask (B, L) float32 with 1 for a word and 0 for padding, pooled (B, D)), e.g. the
         *     text module's {@code TextEncoder}
         * @param length L, the caption length it reads
         * @param trainable true to train the encoder with the denoiser (GLIDE), false to keep it
         *     frozen (a pretrained CLIP text encoder, as DALL-E 2 and latent diffusion)
         * @return this
         */
        public Builder optTextEncoder(Block encoder, int length, boolean trainable) {
            this.textEncoder = encoder;
            this.contextLength = length;
            this.textTrainable = trainable;
            this.contextType = DataType.INT64;
            return this;
        }

        /**
         * Conditions the model on a float vector instead of a caption: the unCLIP decoder (Ramesh
         * et al. 2022, §2.1) reads a CLIP image embedding z_i (B, D), which its encoder projects
         * into extra context tokens (read by the cross-attention) and a pooled vector (added to the
         * step embedding). The forward's third input is then z_i, float32 (B, D); the zero vector
         * is the ∅ of classifier-free guidance.
         *
         * @param encoder any block taking (B, D) float32 and returning (tokens (B, k, dim), mask
         *     (B, k), pooled (B, dim)), e.g. the pipelines module's {@code ImageEmbeddingEncoder}
         * @param dim D, the length of the condition vector
         * @param trainable true to train the encoder with the denoiser
         * @return this
         */
        public Builder optEmbeddingEncoder(Block encoder, int dim, boolean trainable) {
            optTextEncoder(encoder, dim, trainable);
            this.contextType = DataType.FLOAT32;
            return this;
        }

        /**
         * Sets the heads of the cross-attention (default 4).
         *
         * @param heads heads
         * @return this
         */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * Sets dropout inside residual blocks (default 0).
         *
         * @param rate the rate
         * @return this
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Builds the (uninitialised) network.
         *
         * @return the UNet
         */
        public UNet build() {
            if (channels < 1) {
                throw new GenLabException("UNet: setChannels(1 or 3) is required.");
            }
            if (mults.length < 1 || numResBlocks < 1 || base < 1) {
                throw new GenLabException("UNet: depth, width and residual blocks must be ≥ 1.");
            }
            for (int m : mults) {
                if ((base * m) % groups != 0) {
                    throw new GenLabException(
                            "UNet: " + groups + " groups do not divide " + base * m + " channels.");
                }
            }
            if (textEncoder != null && numClasses > 0) {
                throw new GenLabException(
                        "UNet: a model reads either a class label or a caption, not both.");
            }
            if (textEncoder != null && contextLength < 1) {
                throw new GenLabException("UNet: the caption length must be ≥ 1.");
            }
            return new UNet(this);
        }
    }
}
