package org.genlab.gan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import org.genlab.core.train.Losses;

/**
 * What a GAN step logs besides its losses, from D's last update: {@code D(x)} and {@code D(G(z))},
 * the mean σ(logit) on real and generated samples (both near ½ when D cannot tell them apart), and
 * {@code D acc}, how often D is right (logit > 0 for real, ≤ 0 for generated). The sign of a logit
 * means "real" only for losses on log-odds (minimax, non-saturating, hinge): RaGAN's logits drift
 * by a constant and LSGAN's aim at 0 and 1, so {@link CollapseWatch} judges by D's loss.
 */
final class Diagnostics {

    private Diagnostics() {}

    /**
     * Collects the values to log.
     *
     * @param lossD D's loss
     * @param lossG G's loss
     * @param real D's logits on the real batch
     * @param fake D's logits on the generated batch
     * @param penalty the gradient penalty, or null
     * @return D, G, D(x), D(G(z)), D acc and, when given, GP
     */
    static Losses of(NDArray lossD, NDArray lossG, NDArray real, NDArray fake, NDArray penalty) {
        NDArray r = real.stopGradient();
        NDArray f = fake.stopGradient();
        NDArray accuracy =
                r.gt(0)
                        .toType(DataType.FLOAT32, false)
                        .mean()
                        .add(f.lte(0).toType(DataType.FLOAT32, false).mean())
                        .mul(0.5f);
        Losses out =
                new Losses()
                        .put("D", lossD)
                        .put("G", lossG)
                        .put("D(x)", Activation.sigmoid(r).mean())
                        .put("D(G(z))", Activation.sigmoid(f).mean())
                        .put("D acc", accuracy);
        if (penalty != null) {
            out.put("GP", penalty);
        }
        return out;
    }
}
