package org.genlab.gan.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Locale;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.Scalars;

/**
 * The adversarial objective: what D minimises given its logits on real samples r = D(x) and on
 * generated samples f = D(G(z)), and what G minimises given f (and, for a relativistic loss, r).
 * All losses work on logits (never on sigmoid outputs), using softplus(a) = log(1 + eᵃ), so −log
 * σ(a) = softplus(−a) and −log(1 − σ(a)) = softplus(a).
 *
 * <table>
 *   <caption>The losses</caption>
 *   <tr><th>factory</th><th>L_D</th><th>L_G</th><th>paper</th></tr>
 *   <tr><td>{@link #minimax()}</td><td>softplus(−r) + softplus(f)</td><td>−softplus(f) =
 *       log(1 − σ(f))</td><td>Goodfellow et al. 2014 (saturating)</td></tr>
 *   <tr><td>{@link #nonSaturating()}</td><td>softplus(−r) + softplus(f)</td><td>softplus(−f) =
 *       −log σ(f)</td><td>Goodfellow et al. 2014, §3</td></tr>
 *   <tr><td>{@link #hinge()}</td><td>max(0, 1 − r) + max(0, 1 + f)</td><td>−f</td><td>Lim &amp;
 *       Ye 2017; Miyato et al. 2018</td></tr>
 *   <tr><td>{@link #leastSquares()}</td><td>½(r − 1)² + ½f²</td><td>½(f − 1)²</td><td>Mao et al.
 *       2017 (LSGAN)</td></tr>
 *   <tr><td>{@link #wganGp(float)}</td><td>f − r + λ·GP</td><td>−f</td><td>Arjovsky et al. 2017;
 *       Gulrajani et al. 2017</td></tr>
 *   <tr><td>{@link #relativistic()}</td><td>softplus(−(r − f̄)) + softplus(f − r̄)</td>
 *       <td>softplus(−(f − r̄)) + softplus(r − f̄)</td><td>Jolicoeur-Martineau 2019
 *       (RaGAN)</td></tr>
 * </table>
 *
 * Each term is averaged over the batch; r̄ and f̄ are the batch means of r and f.
 *
 * <pre>{@code
 * GanLoss loss = GanLoss.hinge();
 * NDArray lossD = loss.discriminatorLoss(realLogits, fakeLogits);
 * NDArray lossG = loss.generatorLoss(null, fakeLogits);   // real logits only if generatorUsesReal()
 * }</pre>
 *
 * <p>Write your own by subclassing, e.g. the relativistic standard GAN (RSGAN) of
 * Jolicoeur-Martineau, where D judges whether a real sample is more realistic than a generated one:
 *
 * <pre>{@code
 * GanLoss rsgan = new GanLoss("rsgan") {
 *     public NDArray discriminatorLoss(NDArray real, NDArray fake) {
 *         return Activation.softPlus(fake.sub(real)).mean();       // −log σ(r − f)
 *     }
 *     public NDArray generatorLoss(NDArray real, NDArray fake) {
 *         return Activation.softPlus(real.sub(fake)).mean();       // −log σ(f − r)
 *     }
 *     public boolean generatorUsesReal() {
 *         return true;                                             // G's loss needs r
 *     }
 * };
 * }</pre>
 */
public abstract class GanLoss {

    private final String name;

    /**
     * Names the loss.
     *
     * @param name the short name used on the command line
     */
    protected GanLoss(String name) {
        this.name = name;
    }

    /**
     * Returns D's loss.
     *
     * @param real D's logits on real samples, (N, 1)
     * @param fake D's logits on generated samples, (N, 1)
     * @return a scalar
     */
    public abstract NDArray discriminatorLoss(NDArray real, NDArray fake);

    /**
     * Returns G's loss.
     *
     * @param real D's logits on the real batch, (N, 1), gradient stopped (G's parameters do not
     *     reach them) — or null unless {@link #generatorUsesReal()} returns true
     * @param fake D's logits on generated samples, (N, 1)
     * @return a scalar
     */
    public abstract NDArray generatorLoss(NDArray real, NDArray fake);

    /**
     * Tells whether {@link #generatorLoss} needs D's logits on real samples. Only then does the G
     * step run D on the real batch once more (a relativistic loss), so the usual losses cost no
     * extra forward pass.
     *
     * @return false by default; true for relativistic losses
     */
    public boolean generatorUsesReal() {
        return false;
    }

    /**
     * Returns the weight λ of the gradient penalty ({@link GradientPenalty}) added to D's loss.
     *
     * @return λ, 0 for losses without a penalty
     */
    public float gradientPenaltyWeight() {
        return 0f;
    }

    /**
     * Returns how many D (critic) updates to make per G update by default.
     *
     * @return 1, or 5 for WGAN-GP (n_critic of Gulrajani et al.)
     */
    public int defaultCriticSteps() {
        return 1;
    }

    /**
     * Returns the short name.
     *
     * @return e.g. {@code hinge}
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The original minimax loss: G minimises log(1 − D(G(z))), which saturates (vanishing gradient)
     * when D confidently rejects the samples early in training.
     *
     * @return the loss
     */
    public static GanLoss minimax() {
        return new GanLoss("minimax") {
            @Override
            public NDArray discriminatorLoss(NDArray real, NDArray fake) {
                return bce(real, fake);
            }

            @Override
            public NDArray generatorLoss(NDArray real, NDArray fake) {
                return Activation.softPlus(fake).mean().neg();
            }
        };
    }

    /**
     * The non-saturating loss: G maximises log D(G(z)) instead, with strong gradients early on.
     *
     * @return the loss
     */
    public static GanLoss nonSaturating() {
        return new GanLoss("nonsat") {
            @Override
            public NDArray discriminatorLoss(NDArray real, NDArray fake) {
                return bce(real, fake);
            }

            @Override
            public NDArray generatorLoss(NDArray real, NDArray fake) {
                return Activation.softPlus(fake.neg()).mean();
            }
        };
    }

    /**
     * The hinge loss of SN-GAN and BigGAN.
     *
     * @return the loss
     */
    public static GanLoss hinge() {
        return new GanLoss("hinge") {
            @Override
            public NDArray discriminatorLoss(NDArray real, NDArray fake) {
                return Activation.relu(real.neg().add(1))
                        .mean()
                        .add(Activation.relu(fake.add(1)).mean());
            }

            @Override
            public NDArray generatorLoss(NDArray real, NDArray fake) {
                return fake.mean().neg();
            }
        };
    }

    /**
     * The least-squares loss (LSGAN, with targets a = 0, b = c = 1).
     *
     * @return the loss
     */
    public static GanLoss leastSquares() {
        return new GanLoss("lsgan") {
            @Override
            public NDArray discriminatorLoss(NDArray real, NDArray fake) {
                return Scalars.mul(real.sub(1).square().mean().add(fake.square().mean()), 0.5f);
            }

            @Override
            public NDArray generatorLoss(NDArray real, NDArray fake) {
                return Scalars.mul(fake.sub(1).square().mean(), 0.5f);
            }
        };
    }

    /**
     * The Wasserstein loss with gradient penalty (WGAN-GP). The critic's logits estimate the
     * Kantorovich potential; the penalty λ·E[(‖∇D(x̂)‖₂ − 1)²] keeps it 1-Lipschitz.
     *
     * @param lambda the penalty weight λ (10 in the paper)
     * @return the loss (its {@link #discriminatorLoss} is the part without the penalty)
     */
    public static GanLoss wganGp(float lambda) {
        if (!(lambda >= 0)) {
            throw new GenLabException("The gradient penalty weight must be >= 0, got " + lambda);
        }
        return new GanLoss("wgan-gp") {
            @Override
            public NDArray discriminatorLoss(NDArray real, NDArray fake) {
                return fake.mean().sub(real.mean());
            }

            @Override
            public NDArray generatorLoss(NDArray real, NDArray fake) {
                return fake.mean().neg();
            }

            @Override
            public float gradientPenaltyWeight() {
                return lambda;
            }

            @Override
            public int defaultCriticSteps() {
                return 5;
            }
        };
    }

    /**
     * The relativistic average loss (RaGAN; Jolicoeur-Martineau, "The relativistic discriminator: a
     * key element missing from standard GAN", ICLR 2019). D estimates how much more realistic a
     * real sample is than the average generated one, D̃(x) = σ(C(x) − E[C(x̃)]), and vice versa
     * D̃(x̃) = σ(C(x̃) − E[C(x)]):
     *
     * <pre>
     *   L_D = −E[log D̃(x)] − E[log(1 − D̃(x̃))]   = softplus(−(r − f̄)) + softplus(f − r̄)
     *   L_G = −E[log D̃(x̃)] − E[log(1 − D̃(x))]   = softplus(−(f − r̄)) + softplus(r − f̄)
     * </pre>
     *
     * G's loss sees the real logits too ({@link #generatorUsesReal()}): G also learns by making
     * real data look less real than its samples.
     *
     * @return the loss
     */
    public static GanLoss relativistic() {
        return new GanLoss("ragan") {
            @Override
            public NDArray discriminatorLoss(NDArray real, NDArray fake) {
                return relativisticBce(real, fake);
            }

            @Override
            public NDArray generatorLoss(NDArray real, NDArray fake) {
                return relativisticBce(fake, real);
            }

            @Override
            public boolean generatorUsesReal() {
                return true;
            }
        };
    }

    /**
     * Returns a loss by its command-line name.
     *
     * @param name minimax, nonsat, hinge, lsgan, wgan-gp or ragan
     * @return the loss (wgan-gp with λ = 10)
     * @throws GenLabException for an unknown name
     */
    public static GanLoss byName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "minimax":
                return minimax();
            case "nonsat":
            case "non-saturating":
                return nonSaturating();
            case "hinge":
                return hinge();
            case "lsgan":
            case "least-squares":
                return leastSquares();
            case "wgan-gp":
            case "wgangp":
                return wganGp(10f);
            case "ragan":
            case "relativistic":
                return relativistic();
            default:
                throw new GenLabException(
                        "Unknown GAN loss '"
                                + name
                                + "'. Choose one of: minimax, nonsat, hinge, lsgan, wgan-gp, ragan.");
        }
    }

    /** softplus(−(a − b̄)) + softplus(b − ā), averaged: RaGAN's loss for the side a. */
    private static NDArray relativisticBce(NDArray a, NDArray b) {
        return Activation.softPlus(a.sub(b.mean()).neg())
                .mean()
                .add(Activation.softPlus(b.sub(a.mean())).mean());
    }

    /** −log σ(r) − log(1 − σ(f)), averaged: the binary cross-entropy of D on logits. */
    private static NDArray bce(NDArray real, NDArray fake) {
        return Activation.softPlus(real.neg()).mean().add(Activation.softPlus(fake).mean());
    }
}
