package org.genlab.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.schedule.ForwardProcess;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * The DDPM training objective: Algorithm 1 of Ho, Jain &amp; Abbeel, <i>Denoising Diffusion
 * Probabilistic Models</i> (NeurIPS 2020), the "simple" loss of their eq. 14, with the label
 * dropout of classifier-free guidance (Ho &amp; Salimans, <i>Classifier-Free Diffusion
 * Guidance</i>, 2022, Algorithm 1). {@link #forward} is the whole algorithm; the optimizer step is
 * {@link DiffusionTrainer}'s.
 *
 * <p>Notation: {@code x0} = x_0, {@code xt} = x_t, {@code eps} = ε, {@code t} = t − 1 (steps are
 * 0-based: index 0 is the paper's t = 1), {@code y} = the class label, {@code numClasses} = K
 * (label K is the null class ∅), {@code pUncond} = p_uncond, {@code network} = ε_θ (or v_θ).
 */
public final class DdpmLoss implements Objective {

    private final Block network;
    private final NoiseSchedule.Tensors tables;
    private final Prediction prediction;
    private final int numClasses;
    private final float pUncond;
    private final boolean captions;

    /**
     * Sets up the loss.
     *
     * @param network ε_θ: takes {@code (x_t, t float32[, y int64])}, returns a tensor shaped like
     *     x_t
     * @param tables √ᾱ_t and √(1 − ᾱ_t) on the device ({@link NoiseSchedule#tensors})
     * @param prediction what the network predicts: ε or v
     * @param numClasses K, or 0 for an unconditional network
     * @param pUncond the probability of replacing y by ∅ (0.1 in Ho &amp; Salimans)
     */
    public DdpmLoss(
            Block network,
            NoiseSchedule.Tensors tables,
            Prediction prediction,
            int numClasses,
            float pUncond) {
        this(network, tables, prediction, numClasses, pUncond, false);
    }

    /**
     * Sets up the loss, for a text-conditional network when {@code captions} is true: y is then a
     * caption's token ids (B, L), replaced by the empty caption with probability p_uncond (GLIDE,
     * Nichol et al. 2022).
     *
     * @param network ε_θ
     * @param tables √ᾱ_t and √(1 − ᾱ_t) on the device
     * @param prediction ε or v
     * @param numClasses K, or 0
     * @param pUncond the probability of replacing y by ∅
     * @param captions true when y is a caption
     */
    public DdpmLoss(
            Block network,
            NoiseSchedule.Tensors tables,
            Prediction prediction,
            int numClasses,
            float pUncond,
            boolean captions) {
        this.network = network;
        this.tables = tables;
        this.prediction = prediction;
        this.numClasses = numClasses;
        this.pUncond = pUncond;
        this.captions = captions;
    }

    /**
     * Computes the loss of one batch (inside a gradient collector, to train). The noise comes from
     * the engine's generator: seed it and the loss is reproducible.
     *
     * @param ps the parameter store of the forward pass
     * @param x0 clean data x_0 ~ q(x_0): (B, C, H, W) or (B, D)
     * @param y class labels (B), or {@code null} for an unconditional network
     * @return the mean squared error, a scalar in {@code x0}'s manager
     */
    @Override
    public NDArray forward(ParameterStore ps, NDArray x0, NDArray y) {
        // x_0 ~ q(x_0): the batch given, B samples                        (Algorithm 1, line 2)
        NDManager m = x0.getManager();
        long b = x0.getShape().get(0);
        // t ~ Uniform({1, …, T})                                         (Algorithm 1, line 3)
        NDArray t = m.randomInteger(0, tables.steps(), new Shape(b), DataType.INT64);
        // ε ~ N(0, I)                                                     (Algorithm 1, line 4)
        NDArray eps = m.randomNormal(x0.getShape());
        // x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε                                   (eq. 4)
        NDArray xt = ForwardProcess.sample(tables, x0, t, eps);
        // target: ε, or v = √ᾱ_t ε − √(1 − ᾱ_t) x_0                 (Salimans & Ho 2022)
        NDArray target =
                prediction == Prediction.V ? ForwardProcess.velocity(tables, x0, t, eps) : eps;
        NDList in = new NDList(xt, t.toType(DataType.FLOAT32, false));
        if (numClasses > 0) {
            // y ← ∅ with probability p_uncond                         (Ho & Salimans 2022)
            in.add(ClassifierFreeGuidance.dropLabels(y, numClasses, pUncond));
        } else if (captions) {
            // caption ← ∅ (the empty caption) with probability p_uncond          (GLIDE)
            in.add(ClassifierFreeGuidance.dropCaptions(y, pUncond));
        }
        // ‖target − ε_θ(x_t, t[, y])‖²                     (eq. 14; Algorithm 1, line 5)
        NDArray out = network.forward(ps, in, true).singletonOrThrow();
        return out.sub(target).square().mean();
    }
}
