package org.genlab.core.metrics;

/**
 * The mean μ and covariance Σ of a feature set, fitted in double precision (Σ with the unbiased
 * 1/(N−1) normalisation, as numpy's {@code cov}).
 *
 * @param mean μ
 * @param covariance Σ
 */
public record Gaussian(double[] mean, double[][] covariance) {

    /**
     * Fits μ and Σ to features.
     *
     * @param x one row per image
     * @return the Gaussian
     */
    public static Gaussian fit(double[][] x) {
        int n = x.length;
        int d = Features.dim(x, "A Gaussian fit", 2);
        double[] mu = new double[d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                mu[i] += row[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mu[i] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                c[i] = row[i] - mu[i];
            }
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                double[] ri = cov[i];
                for (int j = i; j < d; j++) {
                    ri[j] += ci * c[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= n - 1;
                cov[j][i] = cov[i][j];
            }
        }
        return new Gaussian(mu, cov);
    }
}
