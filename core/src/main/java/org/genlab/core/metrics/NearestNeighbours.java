package org.genlab.core.metrics;

/**
 * For each generated sample, the training image closest to it in feature space: if samples sit much
 * closer to training images than real test images do, the model is copying its data.
 */
public final class NearestNeighbours {

    private NearestNeighbours() {}

    /**
     * Finds the nearest reference row of each query row.
     *
     * @param queries features of generated samples
     * @param reference features of training images
     * @return for each query, {@code {index, distance}} of its nearest reference row
     */
    public static double[][] of(double[][] queries, double[][] reference) {
        Features.dim(reference, "Nearest neighbours (reference set)", 1);
        double[][] out = new double[queries.length][2];
        for (int i = 0; i < queries.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            int arg = -1;
            for (int j = 0; j < reference.length; j++) {
                double d = Features.sqDist(queries[i], reference[j]);
                if (d < best) {
                    best = d;
                    arg = j;
                }
            }
            out[i][0] = arg;
            out[i][1] = Math.sqrt(best);
        }
        return out;
    }
}
