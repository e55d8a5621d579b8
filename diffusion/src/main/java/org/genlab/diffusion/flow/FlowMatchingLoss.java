package org.genlab.diffusion.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.train.Objective;

/**
 * The flow-matching objective: conditional flow matching with straight paths (Lipman et al.,
 * <i>Flow Matching for Generative Modeling</i>, ICLR 2023, eq. 23 with σ_min = 0), which is the
 * rectified-flow loss of Liu et al. (ICLR 2023, eq. 1). {@link #forward} is the whole algorithm:
 *
 * <pre>
 *   x_0 ~ data,  ε ~ N(0, I),  s ~ p(s)
 *   x_s = (1 − s) x_0 + s ε
 *   L = ‖ v_θ(x_s, s[, y]) − (ε − x_0) ‖²
 * </pre>
 *
 * The network never sees a noise schedule: every s ∈ [0, 1] is a point on a straight line. p(s) is
 * uniform, or the logit-normal of Esser et al. (<i>Scaling Rectified Flow Transformers</i>, 2024),
 * which trains the middle times, where the velocity is hardest to guess, more often. Labels are
 * dropped to ∅ as for classifier-free guidance.
 *
 * <p>Notation: {@code x0} = x_0, {@code eps} = ε, {@code s} = s, {@code xs} = x_s, {@code u} = u =
 * ε − x_0 (the target velocity), {@code network} = v_θ, {@code numClasses} = K (label K is ∅).
 */
public final class FlowMatchingLoss implements Objective {

    /** How the training times s are drawn. */
    public enum TimeSampling {
        /** s ~ U(0, 1) (Lipman et al. 2023; Liu et al. 2023). */
        UNIFORM,
        /** s = sigmoid(n), n ~ N(0, 1) (Esser et al. 2024): more weight in the middle. */
        LOGIT_NORMAL
    }

    private final Block network;
    private final int numClasses;
    private final float pUncond;
    private final TimeSampling timeSampling;
    private final boolean captions;

    /**
     * Sets up the loss.
     *
     * @param network v_θ: takes {@code (x_s, s·1000 float32[, y int64])}, returns a tensor shaped
     *     like x_s
     * @param numClasses K, or 0 for an unconditional network
     * @param pUncond the probability of replacing y by ∅
     * @param timeSampling p(s)
     */
    public FlowMatchingLoss(
            Block network, int numClasses, float pUncond, TimeSampling timeSampling) {
        this(network, numClasses, pUncond, timeSampling, false);
    }

    /**
     * Sets up the loss, for a text-conditional network when {@code captions} is true: y is then a
     * caption's token ids (B, L), replaced by the empty caption with probability p_uncond.
     *
     * @param network v_θ
     * @param numClasses K, or 0
     * @param pUncond the probability of replacing y by ∅
     * @param timeSampling p(s)
     * @param captions true when y is a caption
     */
    public FlowMatchingLoss(
            Block network,
            int numClasses,
            float pUncond,
            TimeSampling timeSampling,
            boolean captions) {
        this.network = network;
        this.numClasses = numClasses;
        this.pUncond = pUncond;
        this.timeSampling = timeSampling;
        this.captions = captions;
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x0, NDArray y) {
        NDManager m = x0.getManager();
        Shape b = new Shape(x0.getShape().get(0));
        // s ~ p(s)
        NDArray s =
                timeSampling == TimeSampling.LOGIT_NORMAL
                        ? m.randomNormal(b).getNDArrayInternal().sigmoid()
                        : m.randomUniform(0f, 1f, b);
        // ε ~ N(0, I)
        NDArray eps = m.randomNormal(x0.getShape());
        // x_s = (1 − s) x_0 + s ε
        NDArray xs = FlowPath.sample(x0, s, eps);
        // u = ε − x_0
        NDArray u = FlowPath.velocity(x0, eps);
        NDList in = new NDList(xs, FlowPath.networkTime(s));
        if (numClasses > 0) {
            // y ← ∅ with probability p_uncond                       (Ho & Salimans 2022)
            in.add(ClassifierFreeGuidance.dropLabels(y, numClasses, pUncond));
        } else if (captions) {
            // caption ← ∅ (the empty caption) with probability p_uncond        (GLIDE)
            in.add(ClassifierFreeGuidance.dropCaptions(y, pUncond));
        }
        // ‖v_θ(x_s, s[, y]) − u‖²
        NDArray v = network.forward(ps, in, true).singletonOrThrow();
        return v.sub(u).square().mean();
    }
}
