package coursework;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.genlab.gan.loss.GanLoss;

/**
 * The relativistic average GAN loss (RaGAN, Jolicoeur-Martineau, "The relativistic discriminator:
 * a key element missing from standard GAN", ICLR 2019, eq. 6-7): D judges whether a real sample is
 * more realistic than the average fake one, and G whether a fake one is more realistic than the
 * average real one. With C the logits and softplus(u) = log(1 + eᵘ) = −log σ(−u):
 *
 * <pre>
 *   L_D = E_x[softplus(−(C(x) − E C(x̃)))] + E_x̃[softplus(C(x̃) − E C(x))]
 *   L_G = E_x̃[softplus(−(C(x̃) − E C(x)))] + E_x[softplus(C(x) − E C(x̃))]
 * </pre>
 *
 * G's loss needs the real logits too: {@link #generatorUsesReal()} says so.
 */
final class RelativisticLoss extends GanLoss {

    RelativisticLoss() {
        super("ragan");
    }

    @Override
    public NDArray discriminatorLoss(NDArray real, NDArray fake) {
        NDArray realVsFake = real.sub(fake.mean());
        NDArray fakeVsReal = fake.sub(real.mean());
        return softplus(realVsFake.neg()).mean().add(softplus(fakeVsReal).mean());
    }

    @Override
    public NDArray generatorLoss(NDArray real, NDArray fake) {
        NDArray fakeVsReal = fake.sub(real.mean());
        NDArray realVsFake = real.sub(fake.mean());
        return softplus(fakeVsReal.neg()).mean().add(softplus(realVsFake).mean());
    }

    @Override
    public boolean generatorUsesReal() {
        return true;
    }

    private static NDArray softplus(NDArray u) {
        return Activation.softPlus(u);
    }
}
