package org.genlab.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.nn.Scalars;
import org.genlab.diffusion.nn.TimeEmbedding;

/**
 * A noise-aware classifier p_φ(y | x_t, t): the classifier of classifier guidance (Dhariwal &amp;
 * Nichol, <i>Diffusion Models Beat GANs on Image Synthesis</i>, NeurIPS 2021, §4), trained on noisy
 * samples x_t of the same path the diffusion model walks ({@link NoisyClassifierTrainer}), so that
 * its gradient ∇_{x_t} log p_φ(y | x_t, t) means something at every step of sampling ({@link
 * ClassifierGuidance}).
 *
 * <p>Forward inputs {@code (x_t, t float32 (B))}, output the logits (B, K). The network adapts to
 * the rank of x_t when it is initialised:
 *
 * <ul>
 *   <li>points (B, D): an MLP on [x_t, emb(t)] (the sinusoidal step embedding of {@link
 *       TimeEmbedding}), {@code depth} hidden layers of {@code width} units with SiLU, then a
 *       linear head to K logits;
 *   <li>images (B, C, H, W) (1×28×28 pixels, 4×7×7 or 4×8×8 latents): three 3×3 convolutions with
 *       SiLU (the last two with stride 2: the "state size" goes C×H×W → w×H×W → 2w×H/2×W/2 →
 *       2w×H/4×W/4), the step embedding added as a per-channel bias after the first one, a global
 *       average pool and a linear head to K logits. Dhariwal &amp; Nichol use the downsampling half
 *       of their UNet with attention pooling; this is the same idea, small enough for a CPU.
 * </ul>
 *
 * <pre>{@code
 * NoisyClassifier clf = NoisyClassifier.builder().setNumClasses(10).optWidth(64).build();
 * clf.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
 * }</pre>
 *
 * <p>Notation: {@code x} = x_t, {@code t} = t (the network time the denoiser is given: the 0-based
 * step, or s · 1000 on the flow path), {@code emb} = emb(t), {@code h} = the hidden features,
 * {@code logits} = the unnormalised log p_φ(y | x_t, t), {@code numClasses} = K, {@code width} = w.
 */
public final class NoisyClassifier extends LazyBlock {

    private final int numClasses;
    private final int width;
    private final int depth;
    private final int embDim;
    private final List<Block> layers = new ArrayList<>();
    private Block timeBias;
    private boolean images;

    private NoisyClassifier(Builder b) {
        numClasses = b.numClasses;
        width = b.width;
        depth = b.depth;
        embDim = b.embDim;
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
     * Returns the number of classes K.
     *
     * @return K
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Tells whether the network was built for images (B, C, H, W) rather than points (B, D); known
     * once it is initialised.
     *
     * @return true for the convolutional network
     */
    public boolean isConvolutional() {
        return images;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        if (layers.isEmpty()) {
            build(x.getShape().dimension());
        }
        NDArray emb = TimeEmbedding.sinusoidal(t, embDim);
        return new NDList(images ? convolutional(ps, training, x, emb) : mlp(ps, training, x, emb));
    }

    private NDArray mlp(ParameterStore ps, boolean training, NDArray x, NDArray emb) {
        // h = [x_t, emb(t)]                                              (B, D + d)
        NDArray h = x.concat(emb, 1);
        for (int i = 0; i < layers.size() - 1; i++) {
            // h = SiLU(W_i h + b_i)                                      (B, w)
            h = Scalars.silu(Children.call(layers.get(i), ps, training, h));
        }
        // logits = W_out h + b_out                                       (B, K)
        return Children.call(layers.get(layers.size() - 1), ps, training, h);
    }

    private NDArray convolutional(ParameterStore ps, boolean training, NDArray x, NDArray emb) {
        // h = conv1(x_t) + W_t emb(t), a per-channel bias               (B, w, H, W)
        NDArray h = Children.call(layers.get(0), ps, training, x);
        NDArray bias = Children.call(timeBias, ps, training, emb);
        h = Scalars.silu(h.add(bias.reshape(-1, width, 1, 1)));
        // stride-2 convolutions                          (B, 2w, H/2, W/2), (B, 2w, H/4, W/4)
        h = Scalars.silu(Children.call(layers.get(1), ps, training, h));
        h = Scalars.silu(Children.call(layers.get(2), ps, training, h));
        // global average pool                                            (B, 2w)
        h = h.reshape(h.getShape().get(0), 2L * width, -1).mean(new int[] {2});
        // logits = W_out h + b_out                                       (B, K)
        return Children.call(layers.get(3), ps, training, h);
    }

    /** Creates the children for the rank of the first input it sees (at initialisation). */
    private void build(int rank) {
        if (rank == 2) {
            images = false;
            for (int i = 0; i < depth; i++) {
                layers.add(addChildBlock("fc" + i, Linear.builder().setUnits(width).build()));
            }
        } else if (rank == 4) {
            images = true;
            layers.add(addChildBlock("conv1", conv(width, 1)));
            layers.add(addChildBlock("conv2", conv(2 * width, 2)));
            layers.add(addChildBlock("conv3", conv(2 * width, 2)));
            timeBias = addChildBlock("time", Linear.builder().setUnits(width).build());
            timeBias.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        } else {
            throw new GenLabException(
                    "NoisyClassifier takes points (B, D) or images (B, C, H, W), got rank "
                            + rank
                            + ".");
        }
        layers.add(addChildBlock("out", Linear.builder().setUnits(numClasses).build()));
        for (Block b : layers) {
            b.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        }
    }

    private static Block conv(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    public String toString() {
        return "NoisyClassifier(classes="
                + numClasses
                + ", width="
                + width
                + (layers.isEmpty() ? "" : images ? ", conv" : ", mlp depth=" + depth)
                + ", t-embedding="
                + embDim
                + ")";
    }

    /** Builds a {@link NoisyClassifier}. */
    public static final class Builder {
        private int numClasses;
        private int width = 64;
        private int depth = 3;
        private int embDim = 32;

        private Builder() {}

        /**
         * Sets the number of classes K (required).
         *
         * @param numClasses K ≥ 2
         * @return this
         */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Sets the width w: hidden units of the MLP, channels of the first convolution (default
         * 64).
         *
         * @param width w
         * @return this
         */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Sets the number of hidden layers of the MLP for points (default 3; images always take
         * three convolutions).
         *
         * @param depth hidden layers ≥ 1
         * @return this
         */
        public Builder optDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /**
         * Sets the size d of the sinusoidal step embedding (default 32).
         *
         * @param embDim d, even
         * @return this
         */
        public Builder optTimeEmbedding(int embDim) {
            this.embDim = embDim;
            return this;
        }

        /**
         * Builds the classifier; call {@code initialize(manager, FLOAT32, xShape, tShape)} next.
         *
         * @return the classifier
         */
        public NoisyClassifier build() {
            if (numClasses < 2) {
                throw new GenLabException(
                        "NoisyClassifier needs setNumClasses(K) with K ≥ 2, got " + numClasses);
            }
            if (width < 1 || depth < 1 || embDim < 2 || embDim % 2 != 0) {
                throw new GenLabException(
                        "NoisyClassifier needs width ≥ 1, depth ≥ 1 and an even embedding ≥ 2;"
                                + " got "
                                + width
                                + ", "
                                + depth
                                + ", "
                                + embDim
                                + ".");
            }
            return new NoisyClassifier(this);
        }
    }
}
