package org.genlab.text.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * CLIP's symmetric contrastive loss (InfoNCE over a batch; Radford et al. 2021, Figure 3):
 *
 * <pre>
 *   # I, T: (n, E) L2-normalised image and text embeddings of n matching pairs
 *   logits = np.dot(I, T.T) * np.exp(t)
 *   labels = np.arange(n)
 *   loss_i = cross_entropy_loss(logits, labels, axis=0)
 *   loss_t = cross_entropy_loss(logits, labels, axis=1)
 *   loss   = (loss_i + loss_t) / 2
 * </pre>
 *
 * Each image must pick its own caption among the batch's n captions, and each caption its own
 * image.
 *
 * <p><b>Positives beyond the diagonal.</b> The overload with targets replaces the labels by a
 * matrix y whose row i spreads 1 over the pairs that count as positives of pair i:
 *
 * <pre>
 *   L = ½ [ −1/n Σ_i Σ_j y_ij log softmax_j(s I_i·T_j) − 1/n Σ_j Σ_i y_ij log softmax_i(s I_i·T_j) ]
 * </pre>
 *
 * ({@link #targets} builds a symmetric y from caption ids or class labels; y = identity is the
 * paper's loss).
 *
 * <p>What this changes, honestly: with short captions a batch often holds the <i>same</i> caption
 * twice ("a seven" under two sevens). Identical ids give identical text embeddings, and then the
 * paper's loss and the soft-target loss over equal captions are equal, in value and in gradient
 * (each image's row has two equal logits, so "pick caption 0" and "pick either" cost the same; the
 * two columns' pushes on the two images cancel pairwise) — the test checks this. Neither pushes the
 * two sevens apart; both keep a floor of log 2 on such rows. The soft targets matter when
 * <i>different</i> captions describe the same thing ("a 7" and "the digit seven"): the paper's loss
 * treats them as negatives and pushes a seven away from the other seven's caption; grouping by
 * class label ({@code targets(labels)}) makes them positives. {@link ClipTrainer} uses the paper's
 * loss: captions alone do not say which different captions mean the same.
 */
public final class ContrastiveLoss {

    private ContrastiveLoss() {}

    /**
     * The paper's loss: pair i is the only positive of row i and column i.
     *
     * @param imageEmb I, (n, E) unit vectors
     * @param textEmb T, (n, E) unit vectors
     * @param logitScale s = exp(t), a 0-d or (1) array
     * @return the mean loss, a 0-d array
     */
    public static NDArray symmetric(NDArray imageEmb, NDArray textEmb, NDArray logitScale) {
        long n = imageEmb.getShape().get(0);
        NDArray y = imageEmb.getManager().eye((int) n).toDevice(imageEmb.getDevice(), false);
        return symmetric(imageEmb, textEmb, logitScale, y);
    }

    /**
     * The loss with soft targets.
     *
     * @param imageEmb I, (n, E) unit vectors
     * @param textEmb T, (n, E) unit vectors
     * @param logitScale s
     * @param targets y, (n, n) float32, symmetric, rows summing to 1 ({@link #targets})
     * @return the mean loss, a 0-d array
     */
    public static NDArray symmetric(
            NDArray imageEmb, NDArray textEmb, NDArray logitScale, NDArray targets) {
        // logits = s · I Tᵀ
        NDArray logits = imageEmb.matMul(textEmb.transpose()).mul(logitScale);
        long n = imageEmb.getShape().get(0);
        // images pick captions (rows), captions pick images (columns); y is symmetric
        NDArray lossI = targets.mul(logits.logSoftmax(1)).sum().neg();
        NDArray lossT = targets.mul(logits.logSoftmax(0)).sum().neg();
        return lossI.add(lossT).div(imageEmb.getManager().create(2f * n));
    }

    /**
     * Soft targets that make equal rows positives of each other: y_ij = 1/|{k : g_k = g_i}| when
     * g_i = g_j, else 0.
     *
     * @param groups (n, L) caption ids (equal rows = the same caption) or (n) class labels
     * @return (n, n) float32, symmetric, rows summing to 1
     */
    public static NDArray targets(NDArray groups) {
        NDArray g = groups.getShape().dimension() == 1 ? groups.reshape(-1, 1) : groups;
        long l = g.getShape().get(1);
        // same_ij = 1 when all L entries of rows i and j agree
        NDArray same =
                g.expandDims(1)
                        .eq(g.expandDims(0))
                        .toType(DataType.INT64, false)
                        .sum(new int[] {2})
                        .eq(l)
                        .toType(DataType.FLOAT32, false);
        return same.div(same.sum(new int[] {1}, true));
    }
}
