package org.genlab.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.genlab.core.GenLabException;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static double[][] randomSpd(Random r, int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = r.nextGaussian();
            }
        }
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    s[i][j] += a[i][k] * a[j][k];
                }
                s[i][j] /= d;
            }
            s[i][i] += 0.1;
        }
        return s;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            double piv = m[c][c];
            for (int j = 0; j < 2 * n; j++) {
                m[c][j] /= piv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** Tr(sqrt(A)) by the Denman–Beavers iteration: an independent double-precision reference. */
    private static double traceSqrtReference(double[][] a) {
        int n = a.length;
        double[][] y = a;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            z[i][i] = 1;
        }
        for (int it = 0; it < 60; it++) {
            double[][] yi = inverse(y);
            double[][] zi = inverse(z);
            double[][] y2 = new double[n][n];
            double[][] z2 = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    y2[i][j] = 0.5 * (y[i][j] + zi[i][j]);
                    z2[i][j] = 0.5 * (z[i][j] + yi[i][j]);
                }
            }
            y = y2;
            z = z2;
        }
        double tr = 0;
        for (int i = 0; i < n; i++) {
            tr += y[i][i];
        }
        return tr;
    }

    @Test
    void frechetMatchesTheClosedFormForDiagonalGaussians() {
        double[] mu1 = {0, 1, 2};
        double[] mu2 = {1, 1, 0};
        double[][] s1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}};
        double[][] s2 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 4}};
        // |mu1-mu2|^2 = 1 + 0 + 4 = 5 ; sum (sigma1 - sigma2)^2 = 1 + 0 + 1 = 2
        double d = FrechetDistance.between(new Gaussian(mu1, s1), new Gaussian(mu2, s2));
        assertThat(d).isCloseTo(7.0, within(1e-10));
    }

    @Test
    void frechetMatchesADoublePrecisionReferenceForFullCovariances() {
        Random r = new Random(3);
        int dim = 12;
        double[][] s1 = randomSpd(r, dim);
        double[][] s2 = randomSpd(r, dim);
        double expected = traceSqrtReference(mul(s1, s2));
        assertThat(FrechetDistance.traceSqrtProduct(s1, s2)).isCloseTo(expected, within(1e-9));
        double[] mu = new double[dim];
        assertThat(FrechetDistance.between(new Gaussian(mu, s1), new Gaussian(mu, s1)))
                .isCloseTo(0, within(1e-9));
    }

    @Test
    void frechetFromSamplesApproachesTheTruth() {
        Random r = new Random(1);
        double[][] a = new double[20000][2];
        double[][] b = new double[20000][2];
        for (int i = 0; i < a.length; i++) {
            a[i][0] = r.nextGaussian();
            a[i][1] = r.nextGaussian();
            b[i][0] = 3 + 2 * r.nextGaussian();
            b[i][1] = r.nextGaussian();
        }
        // 3^2 + (1 - 2)^2 = 10
        assertThat(FrechetDistance.between(a, b)).isCloseTo(10, within(0.3));
    }

    @Test
    void metricsRefuseTooFewSamplesAndSayTheMinimum() {
        double[][] few = new double[5][10];
        assertThatThrownBy(() -> FrechetDistance.between(few, few))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("at least 11 samples, got 5");
        assertThatThrownBy(() -> PrecisionRecall.of(new double[3][2], new double[10][2]))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("at least 4 samples");
    }

    @Test
    void precisionAndRecallOfKnownOverlaps() {
        Random r = new Random(2);
        double[][] real = new double[300][4];
        double[][] far = new double[300][4];
        double[][] half = new double[300][4];
        for (int i = 0; i < real.length; i++) {
            for (int j = 0; j < 4; j++) {
                real[i][j] = r.nextGaussian();
                far[i][j] = 100 + r.nextGaussian();
            }
            // a "collapsed" generator: copies of only the first 30 real points
            half[i] = real[i % 30].clone();
        }
        PrecisionRecall same = PrecisionRecall.of(real, real);
        assertThat(same.precision()).isEqualTo(1.0);
        assertThat(same.recall()).isEqualTo(1.0);
        PrecisionRecall disjoint = PrecisionRecall.of(real, far);
        assertThat(disjoint.precision()).isZero();
        assertThat(disjoint.recall()).isZero();
        PrecisionRecall collapsed = PrecisionRecall.of(real, half);
        assertThat(collapsed.precision()).isEqualTo(1.0); // every sample is a real point
        assertThat(collapsed.recall()).isLessThan(0.5); // but most real points are not covered
    }

    @Test
    void classCoverageShowsMissingClasses() {
        double[][] probs = new double[100][10];
        for (int i = 0; i < 100; i++) {
            probs[i][i % 5] = 0.8; // only classes 0..4 appear
            probs[i][9] = 0.2;
        }
        ClassCoverage c = ClassCoverage.of(probs);
        assertThat(c.histogram()).containsExactly(20, 20, 20, 20, 20, 0, 0, 0, 0, 0);
        assertThat(c.coverage()).isEqualTo(0.5);
        assertThat(c.meanConfidence()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void nearestNeighbourFindsTheCopiedImage() {
        double[][] train = {{0, 0}, {5, 5}, {10, 0}};
        double[][] samples = {{9.5, 0.1}, {0.2, -0.1}};
        double[][] nn = NearestNeighbours.of(samples, train);
        assertThat(nn[0][0]).isEqualTo(2);
        assertThat(nn[1][0]).isEqualTo(0);
        assertThat(nn[0][1]).isCloseTo(Math.hypot(0.5, 0.1), within(1e-12));
    }
}
