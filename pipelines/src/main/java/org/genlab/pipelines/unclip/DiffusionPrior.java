package org.genlab.pipelines.unclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.sampler.DdimSampler;
import org.genlab.diffusion.schedule.ForwardProcess;
import org.genlab.diffusion.schedule.NoiseSchedule;

/**
 * The diffusion prior of unCLIP (Ramesh et al. 2022, §2.2): a DDPM over the D-dimensional vector
 * x_0 = √D z_i (so each coordinate has variance ≈ 1 like the noise), conditioned on the caption's c
 * = √D z_t, whose network f predicts x_0 itself rather than the noise, as unCLIP's does:
 *
 * <pre>
 *   t ~ U{1 … T},  ε ~ N(0, I),  x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε        (Ho et al. 2020, eq. 4)
 *   c ← 0 with probability p_uncond                 (caption dropout, for classifier-free guidance)
 *   L = ‖x_0 − f(x_t, t, c)‖²                                   (unCLIP's x_0-prediction loss)
 * </pre>
 *
 * Sampling runs the reverse process over a strided subset of the T steps ({@link DdimSampler}, 64
 * steps by default as in unCLIP; η = 0, the default, is deterministic given x_T, η = 1 adds fresh
 * noise at every step), with the x_0 estimate turned into the sampler's ε̂ = (x_t − √ᾱ_t x̂_0) /
 * √(1 − ᾱ_t). With guidance scale s ≠ 1: x̂_0 = f(x_t, t, 0) + s (f(x_t, t, c) − f(x_t, t, 0)) (Ho
 * &amp; Salimans 2022). Samples are renormalised to unit length. unCLIP's extra trick: draw k
 * samples of z_i per caption and keep the one with the larger dot product with z_t ({@link
 * Sampling#candidates} = 2 in the paper: closer to the caption, less diverse; 1 here by default).
 *
 * <p>Unlike the {@link RegressionPrior}, one caption gives many different embeddings: "a 7" covers
 * the sevens of every slant and stroke that the caption does not name.
 *
 * <p>Notation: {@code zImage} = z_i, {@code zText} = z_t, {@code x0} = x_0, {@code c} = c, {@code
 * pUncond} = p_uncond, {@code network} = f, {@code tables} = √ᾱ_t and √(1 − ᾱ_t).
 */
public final class DiffusionPrior implements Prior {

    /** The value of {@code prior.kind}. */
    public static final String KIND = "diffusion";

    /** The default time embedding size. */
    public static final int TIME_EMBEDDING = 64;

    /**
     * How samples are drawn.
     *
     * @param steps reverse steps S (64 in unCLIP; at most T are taken)
     * @param eta DDIM's η: 1 = fresh noise at each step (DDPM-like), 0 = deterministic
     * @param guidance the classifier-free guidance scale s (1 = none)
     * @param candidates k samples per caption, the one closest to z_t kept (1 = plain sampling)
     */
    public record Sampling(int steps, float eta, float guidance, int candidates) {

        /**
         * 64 steps, η = 0, no guidance, 1 candidate: on MNIST captions the samples for one caption
         * spread almost as far as its true images do (η = 1 or 2 candidates spread them less).
         */
        public static final Sampling DEFAULT = new Sampling(64, 0f, 1f, 1);

        /**
         * Reads the settings {@link #toConfig} wrote; a missing key takes the default's value.
         *
         * @param c a run's settings
         * @return the sampling
         */
        public static Sampling fromConfig(Map<String, String> c) {
            return new Sampling(
                    Integer.parseInt(c.getOrDefault("prior.samplingSteps", "" + DEFAULT.steps())),
                    Float.parseFloat(c.getOrDefault("prior.eta", "" + DEFAULT.eta())),
                    Float.parseFloat(c.getOrDefault("prior.guidance", "" + DEFAULT.guidance())),
                    Integer.parseInt(
                            c.getOrDefault("prior.candidates", "" + DEFAULT.candidates())));
        }

        /**
         * Describes the settings for a run's {@code config.properties}: {@code
         * prior.samplingSteps}, {@code prior.eta}, {@code prior.guidance}, {@code
         * prior.candidates}.
         *
         * @return key to value
         */
        public Map<String, String> toConfig() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("prior.samplingSteps", Integer.toString(steps));
            c.put("prior.eta", Float.toString(eta));
            c.put("prior.guidance", Float.toString(guidance));
            c.put("prior.candidates", Integer.toString(candidates));
            return c;
        }

        /** Checks the values. */
        public Sampling {
            if (steps < 1 || !(eta >= 0 && eta <= 1) || !(guidance >= 0) || candidates < 1) {
                throw new GenLabException(
                        String.format(
                                Locale.ROOT,
                                "Prior sampling needs steps >= 1, η in [0, 1], guidance >= 0 and"
                                        + " candidates >= 1, got %d, %s, %s, %d.",
                                steps,
                                eta,
                                guidance,
                                candidates));
            }
        }
    }

    private final PriorNetwork network;
    private final NoiseSchedule schedule;
    private final NoiseSchedule.Tensors tables;
    private final float pUncond;
    private final Sampling sampling;

    /**
     * Wraps a network with a time input.
     *
     * @param network f, built with a time embedding (initialised here if it is not yet)
     * @param schedule the noise schedule (unCLIP: cosine, T = 1000)
     * @param pUncond the caption dropout probability p_uncond (0.1 in unCLIP)
     * @param sampling how {@link #sample} draws
     * @param manager where the weights and the schedule's tables live
     */
    public DiffusionPrior(
            PriorNetwork network,
            NoiseSchedule schedule,
            float pUncond,
            Sampling sampling,
            NDManager manager) {
        if (!network.timed()) {
            throw new GenLabException(
                    "A diffusion prior needs a PriorNetwork with a time embedding (e.g. 64).");
        }
        if (!(pUncond >= 0 && pUncond < 1)) {
            throw new GenLabException("The caption dropout must be in [0, 1), got " + pUncond);
        }
        this.network = network;
        this.schedule = schedule;
        this.pUncond = pUncond;
        this.sampling = sampling;
        this.tables = schedule.tensors(manager);
        if (!network.isInitialized()) {
            network.initialize(manager);
        }
    }

    /**
     * Builds an untrained diffusion prior with unCLIP's settings: cosine schedule, T = 1000,
     * p_uncond = 0.1, {@link Sampling#DEFAULT}.
     *
     * @param dim D
     * @param width hidden units
     * @param depth residual layers
     * @param manager where the weights live
     * @return the prior
     */
    public static DiffusionPrior create(int dim, int width, int depth, NDManager manager) {
        return new DiffusionPrior(
                new PriorNetwork(dim, width, depth, TIME_EMBEDDING),
                NoiseSchedule.cosine(1000),
                0.1f,
                Sampling.DEFAULT,
                manager);
    }

    static DiffusionPrior fromConfig(Map<String, String> c, NDManager manager) {
        PriorNetwork net =
                new PriorNetwork(
                        Integer.parseInt(c.get("prior.dim")),
                        Integer.parseInt(c.get("prior.width")),
                        Integer.parseInt(c.get("prior.depth")),
                        Integer.parseInt(c.get("prior.timeEmbedding")));
        return new DiffusionPrior(
                net,
                NoiseSchedule.byName(
                        c.get("prior.schedule"), Integer.parseInt(c.get("prior.timesteps"))),
                Float.parseFloat(c.get("prior.captionDropout")),
                Sampling.fromConfig(c),
                manager);
    }

    /**
     * The same trained prior, sampled another way (the weights are shared).
     *
     * @param s the sampling settings
     * @return a prior with them
     */
    public DiffusionPrior withSampling(Sampling s) {
        NDManager owner = network.getParameters().valueAt(0).getArray().getManager();
        return new DiffusionPrior(network, schedule, pUncond, s, owner);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int dim() {
        return network.dim();
    }

    /**
     * Returns how {@link #sample} draws.
     *
     * @return the sampling settings
     */
    public Sampling sampling() {
        return sampling;
    }

    /**
     * Returns the noise schedule.
     *
     * @return the schedule
     */
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public NDArray loss(ParameterStore ps, NDArray imageEmbeddings, NDArray textEmbeddings) {
        NDManager m = imageEmbeddings.getManager();
        long b = imageEmbeddings.getShape().get(0);
        float scale = (float) Math.sqrt(dim());
        // x_0 = √D z_i,  c = √D z_t
        NDArray x0 = imageEmbeddings.mul(scale);
        NDArray c = textEmbeddings.mul(scale);
        // t ~ U{1 … T},  ε ~ N(0, I),  x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
        NDArray t = m.randomInteger(0, tables.steps(), new Shape(b), DataType.INT64);
        NDArray eps = m.randomNormal(x0.getShape());
        NDArray xt = ForwardProcess.sample(tables, x0, t, eps);
        // c ← 0 with probability p_uncond
        if (pUncond > 0) {
            c =
                    c.mul(
                            m.randomUniform(0f, 1f, new Shape(b, 1))
                                    .gte(pUncond)
                                    .toType(c.getDataType(), false));
        }
        // L = ‖x_0 − f(x_t, t, c)‖²  (mean over the batch and the D coordinates)
        NDArray f =
                network.forward(ps, new NDList(xt, t.toType(DataType.FLOAT32, false), c), true)
                        .singletonOrThrow();
        return f.sub(x0).square().mean();
    }

    /**
     * Draws one image embedding per caption embedding ({@link #sampling()} says how); the engine is
     * seeded with {@code seed} first, so the same seed gives the same samples.
     */
    @Override
    public NDArray sample(NDArray textEmbeddings, long seed) {
        NDManager outer = textEmbeddings.getManager();
        long b = textEmbeddings.getShape().get(0);
        int k = sampling.candidates();
        Seeds.seed(seed);
        try (NDManager m = outer.newSubManager();
                NoGrad scope = NoGrad.enter()) {
            // k candidates per caption: rows [all B captions] × k
            NDArray zText = textEmbeddings.tile(new long[] {k, 1});
            zText.attach(m);
            NDArray c = zText.mul((float) Math.sqrt(dim()));
            DdimSampler sampler =
                    DdimSampler.builder()
                            .setSchedule(schedule)
                            .optSteps(Math.min(sampling.steps(), schedule.steps()))
                            .optEta(sampling.eta())
                            .optClipDenoised(false)
                            .build();
            NDArray x = sampler.sample(denoiser(c), m, new Shape(k * b, dim()), null);
            NDArray z = RegressionPrior.normalize(x);
            if (k > 1) {
                // keep the candidate with the largest z_i · z_t
                NDArray score = z.mul(zText).sum(new int[] {1}).reshape(k, b);
                NDArray best = score.argMax(0);
                NDArray pick =
                        m.arange(0, k, 1, DataType.INT64)
                                .reshape(k, 1)
                                .eq(best.reshape(1, b))
                                .toType(DataType.FLOAT32, false);
                z = z.reshape(k, b, dim()).mul(pick.reshape(k, b, 1)).sum(new int[] {0});
            }
            z.attach(outer);
            return z;
        }
    }

    /** f's x̂_0 (guided when s ≠ 1) as the ε̂ the sampler expects. */
    private Denoiser denoiser(NDArray c) {
        float s = sampling.guidance();
        return (xt, t, labels) -> {
            ParameterStore ps = new ParameterStore(xt.getManager(), false);
            NDArray x0;
            if (s == 1f) {
                x0 = network.forward(ps, new NDList(xt, t, c), false).singletonOrThrow();
            } else {
                // one batch: [conditional ; unconditional]
                NDList in =
                        new NDList(xt.concat(xt, 0), t.concat(t, 0), c.concat(c.zerosLike(), 0));
                NDArray both = network.forward(ps, in, false).singletonOrThrow();
                long n = xt.getShape().get(0);
                NDArray cond = both.get("0:" + n);
                NDArray uncond = both.get(n + ":");
                // x̂_0 = f(x_t, t, 0) + s (f(x_t, t, c) − f(x_t, t, 0))
                x0 = uncond.add(cond.sub(uncond).mul(s));
            }
            // ε̂ = (x_t − √ᾱ_t x̂_0) / √(1 − ᾱ_t)
            NDArray step = t.toType(DataType.INT64, false);
            return xt.sub(x0.mul(tables.sqrtAlphaBar(step, 2)))
                    .div(tables.sqrtOneMinusAlphaBar(step, 2));
        };
    }

    @Override
    public PriorNetwork network() {
        return network;
    }

    /**
     * Describes the trained model (not its {@link Sampling}, which {@link Sampling#toConfig}
     * describes): also {@code prior.timeEmbedding}, {@code prior.schedule}, {@code prior.timesteps}
     * and {@code prior.captionDropout}.
     */
    @Override
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("prior.kind", KIND);
        c.put("prior.dim", Integer.toString(network.dim()));
        c.put("prior.width", Integer.toString(network.width()));
        c.put("prior.depth", Integer.toString(network.depth()));
        c.put("prior.timeEmbedding", Integer.toString(network.timeEmbedding()));
        c.put("prior.schedule", schedule.name());
        c.put("prior.timesteps", Integer.toString(schedule.steps()));
        c.put("prior.captionDropout", Float.toString(pUncond));
        return c;
    }

    @Override
    public String toString() {
        return "DiffusionPrior(" + network + ", " + schedule + ", " + sampling + ")";
    }
}
