package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.nn.Scalars;

/**
 * The plain baseline prior: one image embedding per caption, predicted by regression,
 *
 * <pre>
 *   ẑ_i = normalize(f(√D z_t))
 *   L   = 1 − ⟨ẑ_i, z_i⟩  = ½ ‖ẑ_i − z_i‖²          (both unit vectors: cosine = MSE / 2)
 * </pre>
 *
 * It learns the conditional mean direction of z_i given the caption. Every caption gets exactly one
 * embedding, so "a 7" always becomes the same average seven: no diversity. Ramesh et al. (2022)
 * replace it with an autoregressive or a diffusion prior ({@link DiffusionPrior}).
 *
 * <p>Notation: {@code zText} = z_t, {@code zImage} = z_i, {@code network} = f.
 */
public final class RegressionPrior implements Prior {

    /** The value of {@code prior.kind}. */
    public static final String KIND = "regression";

    private final PriorNetwork network;

    /**
     * Wraps a network without a time input.
     *
     * @param network f, built with time embedding 0 (initialised here if it is not yet)
     * @param manager where the weights live
     */
    public RegressionPrior(PriorNetwork network, NDManager manager) {
        if (network.timed()) {
            throw new org.genlab.core.GenLabException(
                    "A regression prior needs a PriorNetwork without a time embedding (0).");
        }
        this.network = network;
        if (!network.isInitialized()) {
            network.initialize(manager);
        }
    }

    /**
     * Builds an untrained regression prior.
     *
     * @param dim D
     * @param width hidden units
     * @param depth residual layers
     * @param manager where the weights live
     * @return the prior
     */
    public static RegressionPrior create(int dim, int width, int depth, NDManager manager) {
        return new RegressionPrior(new PriorNetwork(dim, width, depth, 0), manager);
    }

    static RegressionPrior fromConfig(Map<String, String> c, NDManager manager) {
        return create(
                Integer.parseInt(c.get("prior.dim")),
                Integer.parseInt(c.get("prior.width")),
                Integer.parseInt(c.get("prior.depth")),
                manager);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int dim() {
        return network.dim();
    }

    /** ẑ_i = normalize(f(√D z_t)); the seed is not used. */
    @Override
    public NDArray sample(NDArray textEmbeddings, long seed) {
        try (NoGrad scope = NoGrad.enter()) {
            return predict(
                    new ParameterStore(textEmbeddings.getManager(), false), textEmbeddings, false);
        }
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray imageEmbeddings, NDArray textEmbeddings) {
        // L = 1 − ⟨ẑ_i, z_i⟩
        NDArray cos = predict(ps, textEmbeddings, true).mul(imageEmbeddings).sum(new int[] {1});
        return cos.mean().neg().add(1f);
    }

    private NDArray predict(ParameterStore ps, NDArray zText, boolean training) {
        NDArray c = zText.mul((float) Math.sqrt(dim()));
        NDArray f = network.forward(ps, new NDList(c), training).singletonOrThrow();
        return normalize(f);
    }

    /** x / ‖x‖ along axis 1. */
    static NDArray normalize(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).add(Scalars.scalar(x, 1e-12f)).sqrt();
        return x.div(norm);
    }

    @Override
    public PriorNetwork network() {
        return network;
    }

    @Override
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("prior.kind", KIND);
        c.put("prior.dim", Integer.toString(network.dim()));
        c.put("prior.width", Integer.toString(network.width()));
        c.put("prior.depth", Integer.toString(network.depth()));
        return c;
    }

    @Override
    public String toString() {
        return "RegressionPrior(" + network + ")";
    }
}
