package org.genlab.core.metrics;

/**
 * Improved precision and recall of a sample set (Kynkäänniemi et al., "Improved Precision and
 * Recall Metric for Assessing Generative Models", NeurIPS 2019).
 *
 * <p>Each feature set approximates its manifold by a union of balls: around every point, a ball
 * reaching its k-th nearest neighbour in the same set. <b>Precision</b> is the share of generated
 * samples that fall inside the real manifold (do samples look real?); <b>recall</b> is the share of
 * real images that fall inside the generated manifold (does the model cover the data, or has it
 * collapsed onto a few modes?). The paper uses k = 3.
 *
 * @param precision share of generated samples inside the real manifold
 * @param recall share of real images inside the generated manifold
 * @param k the neighbourhood size used
 */
public record PrecisionRecall(double precision, double recall, int k) {

    /**
     * Computes precision and recall with k = 3.
     *
     * @param real features of real images (more than k rows)
     * @param generated features of generated images (more than k rows)
     * @return precision and recall
     */
    public static PrecisionRecall of(double[][] real, double[][] generated) {
        return of(real, generated, 3);
    }

    /**
     * Computes precision and recall.
     *
     * @param real features of real images
     * @param generated features of generated images
     * @param k the neighbourhood size
     * @return precision and recall
     */
    public static PrecisionRecall of(double[][] real, double[][] generated, int k) {
        Features.dim(real, "Precision/recall (real set, k = " + k + ")", k + 1);
        Features.dim(generated, "Precision/recall (generated set, k = " + k + ")", k + 1);
        double[] realRadii = kthNeighbourDistances(real, k);
        double[] genRadii = kthNeighbourDistances(generated, k);
        return new PrecisionRecall(
                coverage(generated, real, realRadii), coverage(real, generated, genRadii), k);
    }

    /** Share of {@code points} inside at least one ball (centre, squared radius). */
    private static double coverage(double[][] points, double[][] centres, double[] sqRadii) {
        int inside = 0;
        for (double[] p : points) {
            for (int j = 0; j < centres.length; j++) {
                if (Features.sqDist(p, centres[j]) <= sqRadii[j]) {
                    inside++;
                    break;
                }
            }
        }
        return inside / (double) points.length;
    }

    /** Squared distance from each point to its k-th nearest other point of the same set. */
    static double[] kthNeighbourDistances(double[][] x, int k) {
        double[] out = new double[x.length];
        double[] best = new double[k];
        for (int i = 0; i < x.length; i++) {
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int j = 0; j < x.length; j++) {
                if (i == j) {
                    continue;
                }
                double d = Features.sqDist(x[i], x[j]);
                if (d < best[k - 1]) {
                    int p = k - 1;
                    while (p > 0 && best[p - 1] > d) {
                        best[p] = best[p - 1];
                        p--;
                    }
                    best[p] = d;
                }
            }
            out[i] = best[k - 1];
        }
        return out;
    }
}
