package org.genlab.gan.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.genlab.core.GenLabException;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Gradients;
import org.genlab.core.nn.Scalars;
import org.genlab.core.optim.Adam;
import org.genlab.core.train.Losses;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.loss.GradientPenalty;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;

/**
 * One step of GAN training: Algorithm 1 of Goodfellow et al., "Generative Adversarial Nets",
 * NeurIPS 2014 — k updates of the discriminator D, then one update of the generator G — for any
 * {@link GanLoss}.
 *
 * <p>Notation: x a real batch (y its labels, conditional models only), z ~ N(0, I), x̃ = G(z) a
 * generated batch ({@code xFake}), r = D(x) and f = D(x̃) D's logits ({@code rG}, {@code fG} in G's
 * update), k = n_critic ({@code criticSteps}), L_D and L_G the loss's two halves, λ·GP the gradient
 * penalty (WGAN-GP), θ̄_G the moving average of G's weights θ_G.
 *
 * <p>Two DJL facts shape the code: gradients accumulate across backward passes (G's backward also
 * fills D's gradients), so each update starts by zeroing them, as PyTorch's {@code zero_grad()};
 * and x̃ is cut from G's graph in D's update ({@code stopGradient}), so D's loss does not reach G.
 * Update i of step s reads batch number s·k + i of the data. A loss whose G half needs r ({@link
 * GanLoss#generatorUsesReal()}, e.g. RaGAN) gets D(x) computed once more in G's update, on the last
 * real batch, with its gradient stopped: r does not depend on G, so G's gradient is the one of
 * Jolicoeur-Martineau's reference code, which also recomputes D(x) there. {@link GanTrainer} owns
 * one GanUpdate and adds the plumbing (progress grids, checkpoints).
 */
public final class GanUpdate {

    private final Generator g;
    private final Discriminator d;
    private final GanLoss loss;
    private final BatchSource data;
    private final Adam adamG;
    private final Adam adamD;
    private final Ema ema;
    private final int k;
    private final ParameterStore ps;

    GanUpdate(
            Generator g,
            Discriminator d,
            GanLoss loss,
            BatchSource data,
            Adam adamG,
            Adam adamD,
            Ema ema,
            int k,
            ParameterStore ps) {
        this.g = g;
        this.d = d;
        this.loss = loss;
        this.data = data;
        this.adamG = adamG;
        this.adamD = adamD;
        this.ema = ema;
        this.k = k;
        this.ps = ps;
    }

    /**
     * Makes k updates of D and one of G.
     *
     * @param step the step number, from 0
     * @param m the step's manager (closed after the step)
     * @return the losses {@code D}, {@code G}, and the diagnostics {@code D(x)}, {@code D(G(z))},
     *     {@code D acc} and, with a penalty, {@code GP}
     */
    public Losses step(long step, NDManager m) {
        NDArray x = null;
        NDArray y = null;
        NDArray r = null;
        NDArray f = null;
        NDArray lossD = null;
        NDArray gp = null;
        // ---------------------------------------------------------------------------------
        // Update D (k times): maximize log D(x) + log(1 − D(G(z))), i.e. minimize L_D(r, f)
        // ---------------------------------------------------------------------------------
        for (int i = 0; i < k; i++) {
            Batch batch = data.next(m, step * k + i);
            x = batch.samples();
            y = g.isConditional() ? labels(batch) : null;
            NDArray xFake = g.generate(ps, noise(m, x), y, true).stopGradient(); // x̃, G fixed
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Gradients.zero(g, d);
                r = d.logits(ps, x, y, true);
                f = d.logits(ps, xFake, y, true);
                lossD = loss.discriminatorLoss(r, f);
                NDArray total = lossD;
                if (loss.gradientPenaltyWeight() > 0) { // + λ·E[(‖∇D(x̂)‖₂ − 1)²]
                    gp = GradientPenalty.penalty(d, ps, GradientPenalty.interpolate(x, xFake), y);
                    total = lossD.add(Scalars.mul(gp, loss.gradientPenaltyWeight()));
                }
                gc.backward(total);
            }
            adamD.step(d);
        }
        // ---------------------------------------------------------------------------------
        // Update G: maximize log D(G(z)) (non-saturating), i.e. minimize L_G(r, f)
        // ---------------------------------------------------------------------------------
        NDArray lossG;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Gradients.zero(g, d);
            NDArray fG = d.logits(ps, g.generate(ps, noise(m, x), y, true), y, true);
            NDArray rG = loss.generatorUsesReal() ? d.logits(ps, x, y, true).stopGradient() : null;
            lossG = loss.generatorLoss(rG, fG);
            gc.backward(lossG);
        }
        adamG.step(g);
        if (ema != null) {
            ema.update(); // θ̄_G ← γ·θ̄_G + (1 − γ)·θ_G, γ the EMA decay
        }
        return Diagnostics.of(lossD, lossG, r, f, gp);
    }

    /** z ~ N(0, I), one per sample of x. */
    private NDArray noise(NDManager m, NDArray x) {
        return m.randomNormal(new Shape(x.getShape().get(0), g.latentDim()));
    }

    private static NDArray labels(Batch batch) {
        if (batch.labels() == null) {
            throw new GenLabException(
                    "A conditional GAN needs class labels, but the data source gave none. Train"
                            + " without --conditional, or use a labelled data set.");
        }
        return batch.labels();
    }

    /**
     * Returns n_critic, the D updates per step.
     *
     * @return k
     */
    public int criticSteps() {
        return k;
    }

    /**
     * Returns the loss.
     *
     * @return the loss
     */
    public GanLoss loss() {
        return loss;
    }
}
