package org.genlab.core.metrics;

import org.genlab.core.GenLabException;

/**
 * What a classifier sees in a sample set: how many samples of each class, how many classes appear
 * at all (a GAN that has collapsed onto a few digits shows missing classes here), and how confident
 * the classifier is on average (blurry or broken samples get low confidence).
 *
 * @param histogram samples per predicted class
 * @param coverage share of classes predicted for at least {@code minShare} of the samples
 * @param meanConfidence mean probability of the predicted class
 */
public record ClassCoverage(int[] histogram, double coverage, double meanConfidence) {

    /**
     * Summarises classifier outputs. A class counts as covered when it gets at least 1/(4·C) of the
     * samples, a quarter of its fair share, so that one stray sample does not count.
     *
     * @param probabilities one row of class probabilities per sample
     * @return the summary
     */
    public static ClassCoverage of(double[][] probabilities) {
        int classes = Features.dim(probabilities, "Class coverage", 1);
        if (classes < 2) {
            throw new GenLabException("Class coverage needs at least two classes.");
        }
        int[] hist = new int[classes];
        double conf = 0;
        for (double[] p : probabilities) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            hist[best]++;
            conf += p[best];
        }
        double minCount = probabilities.length / (4.0 * classes);
        int covered = 0;
        for (int h : hist) {
            if (h > 0 && h >= minCount) {
                covered++;
            }
        }
        return new ClassCoverage(hist, covered / (double) classes, conf / probabilities.length);
    }
}
