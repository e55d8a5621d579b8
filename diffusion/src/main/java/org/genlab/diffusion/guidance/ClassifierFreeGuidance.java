package org.genlab.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.genlab.core.GenLabException;
import org.genlab.diffusion.nn.Denoiser;
import org.genlab.diffusion.nn.Prediction;

/**
 * Classifier-free guidance (Ho &amp; Salimans, <i>Classifier-Free Diffusion Guidance</i>, 2022;
 * GLIDE, Nichol et al. 2022). One network trained with the label dropped to a null class ∅ some of
 * the time predicts both ε(x_t, y) and ε(x_t, ∅); sampling extrapolates from the unconditional
 * towards the conditional prediction:
 *
 * <pre>
 *   ε̃ = ε(x_t, ∅) + w (ε(x_t, y) − ε(x_t, ∅))
 * </pre>
 *
 * w = 1 is plain conditional sampling, w &gt; 1 trades diversity for fidelity to y. Both passes run
 * as ONE forward of a 2B batch. It wraps any {@link Denoiser}, so every sampler can use it.
 *
 * <p>The condition y is a class label (B), a caption's token ids (B, L) or a float condition vector
 * (B, D). For a caption, ∅ is the empty caption, a row of padding zeros (GLIDE replaces the caption
 * by the empty sequence), and the guided prediction is "away from no text, towards this text". For
 * a vector (unCLIP's CLIP image embedding, Ramesh et al. 2022), ∅ is the zero vector: the decoder
 * is trained with the embedding zeroed some of the time.
 */
public final class ClassifierFreeGuidance implements Denoiser {

    private final Denoiser model;
    private final int nullClass;
    private final float weight;

    /**
     * Wraps a class-conditional denoiser.
     *
     * @param model the conditional denoiser
     * @param nullClass the label of ∅ (the number of classes K for a {@code UNet})
     * @param weight w
     */
    public ClassifierFreeGuidance(Denoiser model, int nullClass, float weight) {
        this.model = model;
        this.nullClass = nullClass;
        this.weight = weight;
    }

    /**
     * The guidance formula ε_u + w (ε_c − ε_u).
     *
     * @param cond ε(x_t, y)
     * @param uncond ε(x_t, ∅)
     * @param weight w
     * @return the guided prediction
     */
    public static NDArray combine(NDArray cond, NDArray uncond, float weight) {
        return uncond.add(cond.sub(uncond).mul(weight));
    }

    /**
     * The label dropout of training (Ho &amp; Salimans 2022, Algorithm 1): each label is replaced
     * by the null class ∅ with probability p_uncond, so one network learns ε(x_t, y) and ε(x_t, ∅).
     *
     * @param y int labels (B)
     * @param nullClass the label of ∅ (K)
     * @param pUncond p_uncond
     * @return int64 labels (B), some of them ∅
     * @throws GenLabException when {@code y} is null (a conditional model needs labelled data)
     */
    public static NDArray dropLabels(NDArray y, int nullClass, float pUncond) {
        if (y == null) {
            throw new GenLabException("A class-conditional denoiser needs labelled data.");
        }
        if (y.getShape().dimension() == 2) {
            return dropCaptions(y, pUncond);
        }
        NDManager m = y.getManager();
        Shape b = new Shape(y.getShape().get(0));
        NDArray drop = m.randomUniform(0f, 1f, b).lt(pUncond);
        return NDArrays.where(drop, m.full(b, (long) nullClass), y.toType(DataType.INT64, false));
    }

    /**
     * The caption dropout of GLIDE (Nichol et al. 2022, §2.3): each caption is replaced by the
     * empty caption ∅ (a row of padding zeros) with probability p_uncond. Float rows (B, D), e.g.
     * unCLIP's image embeddings, are dropped the same way, to the zero vector, and stay float.
     *
     * @param ids token ids (B, L), or float condition rows (B, D)
     * @param pUncond p_uncond
     * @return int64 token ids (B, L) (or the float rows, same type), some rows all zero
     * @throws GenLabException when {@code ids} is null (a text-conditional model needs captions)
     */
    public static NDArray dropCaptions(NDArray ids, float pUncond) {
        if (ids == null || ids.getShape().dimension() != 2) {
            throw new GenLabException(
                    "A text-conditional denoiser needs captions: token ids shaped (B, L).");
        }
        NDManager m = ids.getManager();
        long b = ids.getShape().get(0);
        NDArray keep = m.randomUniform(0f, 1f, new Shape(b, 1)).gte(pUncond);
        DataType type = rowType(ids);
        return ids.toType(type, false).mul(keep.toType(type, false));
    }

    /**
     * Wraps a text-conditional denoiser: its condition is a caption's token ids (B, L) and ∅ the
     * empty caption; or an embedding-conditional one (float rows (B, D), ∅ the zero vector).
     *
     * @param model the text-conditional denoiser
     * @param weight w
     * @return the guided denoiser
     */
    public static ClassifierFreeGuidance forCaptions(Denoiser model, float weight) {
        return new ClassifierFreeGuidance(model, -1, weight);
    }

    /**
     * Wraps a denoiser conditioned on a float vector (B, D), e.g. unCLIP's decoder on a CLIP image
     * embedding (Ramesh et al. 2022): ∅ is the zero vector.
     *
     * @param model the embedding-conditional denoiser
     * @param weight w
     * @return the guided denoiser
     */
    public static ClassifierFreeGuidance forEmbeddings(Denoiser model, float weight) {
        return new ClassifierFreeGuidance(model, -1, weight);
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDArray labels) {
        long b = xt.getShape().get(0);
        if (labels == null) {
            return model.predict(
                    xt,
                    t,
                    nullClass < 0 ? null : xt.getManager().full(new Shape(b), (long) nullClass));
        }
        // ∅: the null class, or a row of zeros of the rows' type (empty caption, zero embedding)
        DataType type = rowType(labels);
        NDArray nulls =
                labels.getShape().dimension() == 2
                        ? xt.getManager().zeros(labels.getShape(), type)
                        : xt.getManager().full(new Shape(b), (long) nullClass);
        // (∅ first: the concatenation then lives in the step's manager, not the caller's)
        NDArray out =
                model.predict(
                        xt.concat(xt, 0),
                        t.concat(t, 0),
                        nulls.concat(labels.toType(type, false), 0));
        NDList halves = out.split(2, 0);
        return combine(halves.get(1), halves.get(0), weight);
    }

    /** Condition rows keep a floating type (an embedding); labels and token ids are int64. */
    private static DataType rowType(NDArray labels) {
        return labels.getShape().dimension() == 2 && labels.getDataType().isFloating()
                ? labels.getDataType()
                : DataType.INT64;
    }

    @Override
    public Prediction prediction() {
        return model.prediction();
    }

    /**
     * Returns w.
     *
     * @return the guidance weight
     */
    public float weight() {
        return weight;
    }
}
