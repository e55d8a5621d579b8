package org.genlab.eval.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.genlab.core.GenLabException;
import org.genlab.core.metrics.ClassCoverage;
import org.genlab.core.metrics.FrechetDistance;
import org.genlab.core.metrics.NearestNeighbours;
import org.genlab.core.metrics.PrecisionRecall;
import org.genlab.datasets.ImageDataset;
import org.genlab.eval.classifier.FeatureClassifier;

/**
 * Measures sample sets against real data. The reference is {@code n} random training images; the
 * floor is {@code n} random test images measured the same way — the best score a perfect model
 * could get with this many samples. A number without its floor means little.
 */
public final class Evaluation {

    private final FeatureClassifier classifier;

    private final ImageDataset train;
    private final int n;
    private final int[] trainIdx;
    private final double[][] trainFeatures;
    private final SampleMetrics floor;

    /**
     * Prepares the reference features.
     *
     * @param classifier the feature classifier of the data set
     * @param train the training split
     * @param test the test split
     * @param n samples per set (at least 200)
     * @param seed chooses the random reference images
     * @param manager where temporary arrays live
     */
    public Evaluation(
            FeatureClassifier classifier,
            ImageDataset train,
            ImageDataset test,
            int n,
            long seed,
            NDManager manager) {
        if (n < 200) {
            throw new GenLabException(
                    "Metrics need at least 200 samples per set (got "
                            + n
                            + "): fewer make the Fréchet distance and precision/recall"
                            + " meaningless. Use --n 200 or more.");
        }
        if (n > Math.min(train.size(), test.size())) {
            throw new GenLabException(
                    "--n " + n + " is larger than the test split (" + test.size() + " images).");
        }
        this.classifier = classifier;
        this.train = train;
        this.n = n;
        Random r = new Random(seed);
        this.trainIdx = pick(train.size(), n, r);
        try (NDManager sub = manager.newSubManager()) {
            this.trainFeatures = classifier.features(train.images(sub, trainIdx));
            NDArray testImages = test.images(sub, pick(test.size(), n, r));
            this.floor = measure("Real (test split)", testImages);
        }
    }

    /**
     * Returns the classifier whose feature space the metrics use.
     *
     * @return the classifier
     */
    public FeatureClassifier classifier() {
        return classifier;
    }

    /**
     * Returns the real-versus-real floor: the test split measured against the training split.
     *
     * @return the floor
     */
    public SampleMetrics floor() {
        return floor;
    }

    /**
     * Returns the number of images per set.
     *
     * @return n
     */
    public int n() {
        return n;
    }

    /**
     * Measures a sample set.
     *
     * @param label the sampler's name
     * @param samples {@code (n, C, H, W)} in [-1, 1]
     * @return the metrics
     */
    public SampleMetrics measure(String label, NDArray samples) {
        double[][] f = classifier.features(samples);
        if (f.length != n) {
            throw new GenLabException(
                    label + " gave " + f.length + " samples; the evaluation needs " + n + ".");
        }
        double[][] p = classifier.probabilities(samples);
        PrecisionRecall pr = PrecisionRecall.of(trainFeatures, f);
        ClassCoverage cc = ClassCoverage.of(p);
        double[][] nn = NearestNeighbours.of(f, trainFeatures);
        double mean = 0;
        for (double[] row : nn) {
            mean += row[1];
        }
        return new SampleMetrics(
                label,
                n,
                FrechetDistance.between(trainFeatures, f),
                pr.precision(),
                pr.recall(),
                cc.coverage(),
                cc.histogram(),
                cc.meanConfidence(),
                mean / nn.length);
    }

    /**
     * Measures how often a conditional model draws what was asked for: the share of samples whose
     * class the feature classifier predicts to be the requested one, overall and per class.
     *
     * @param samples {@code (n, C, H, W)} in [-1, 1]
     * @param requested the class asked for, per sample
     * @param numClasses K
     * @return K + 1 numbers: the accuracy per class, then the overall accuracy
     */
    public double[] requestedClassAccuracy(NDArray samples, int[] requested, int numClasses) {
        double[][] p = classifier.probabilities(samples);
        if (p.length != requested.length) {
            throw new GenLabException(
                    "Got " + p.length + " samples for " + requested.length + " requested classes.");
        }
        double[] hits = new double[numClasses + 1];
        double[] asked = new double[numClasses + 1];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][best]) {
                    best = c;
                }
            }
            int want = requested[i];
            asked[want]++;
            asked[numClasses]++;
            if (best == want) {
                hits[want]++;
                hits[numClasses]++;
            }
        }
        for (int c = 0; c <= numClasses; c++) {
            hits[c] = asked[c] == 0 ? Double.NaN : hits[c] / asked[c];
        }
        return hits;
    }

    /**
     * Finds, for each of the first {@code count} samples, its nearest training images.
     *
     * @param manager where the result lives
     * @param samples the samples
     * @param count how many samples to show
     * @param neighbours how many neighbours each
     * @return {@code (count * (1 + neighbours), C, H, W)}: each row a sample, then its neighbours
     */
    public NDArray neighbourPanel(NDManager manager, NDArray samples, int count, int neighbours) {
        NDArray first = samples.get("0:" + count);
        double[][] f = classifier.features(first);
        ai.djl.ndarray.NDList rows = new ai.djl.ndarray.NDList();
        for (int i = 0; i < count; i++) {
            int[] best = nearest(f[i], neighbours);
            int[] idx = new int[neighbours];
            for (int k = 0; k < neighbours; k++) {
                idx[k] = trainIdx[best[k]];
            }
            rows.add(first.get(i + ":" + (i + 1)).toDevice(manager.getDevice(), false));
            rows.add(train.images(manager, idx));
        }
        return ai.djl.ndarray.NDArrays.concat(rows);
    }

    private int[] nearest(double[] q, int k) {
        Integer[] order = new Integer[trainFeatures.length];
        double[] d = new double[trainFeatures.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
            double s = 0;
            for (int c = 0; c < q.length; c++) {
                double t = q[c] - trainFeatures[j][c];
                s += t * t;
            }
            d[j] = s;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    private static int[] pick(int size, int n, Random r) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }
}
