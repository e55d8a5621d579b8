package org.genlab.core.metrics;

import org.genlab.core.GenLabException;

/** Checks on feature matrices (one row per image) shared by the metrics. */
final class Features {

    private Features() {}

    static int dim(double[][] x, String what, int minRows) {
        if (x == null || x.length < minRows) {
            throw new GenLabException(
                    what
                            + " needs at least "
                            + minRows
                            + " samples, got "
                            + (x == null ? 0 : x.length)
                            + ". Draw more samples (--n).");
        }
        int d = x[0].length;
        for (double[] row : x) {
            if (row.length != d) {
                throw new GenLabException(what + ": feature rows differ in length.");
            }
        }
        return d;
    }

    static double sqDist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
