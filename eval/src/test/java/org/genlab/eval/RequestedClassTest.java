package org.genlab.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.eval.classifier.FeatureClassifier;
import org.genlab.eval.compare.Evaluation;
import org.junit.jupiter.api.Test;

/**
 * The conditional-control measurement on real images: asking for the true labels scores about the
 * classifier's accuracy, asking for wrong ones scores about nothing.
 */
class RequestedClassTest {

    @Test
    void realDigitsMatchTheirLabelsAndNotOthers() {
        try (FeatureClassifier clf =
                        FeatureClassifier.obtain(
                                "mnist", GenLabHome.dataDir(), Device.cpu(), System.out);
                NDManager m = NDManager.newBaseManager()) {
            ImageDataset train =
                    ImageDataset.builder().setName("mnist").optSplit(Split.TRAIN).build();
            ImageDataset test =
                    ImageDataset.builder().setName("mnist").optSplit(Split.TEST).build();
            Evaluation eval = new Evaluation(clf, train, test, 200, 1, m);
            int n = 1000;
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            NDArray images = test.images(m, idx);
            int[] truth = test.labels(m, idx).toIntArray();
            int[] wrong = new int[n];
            for (int i = 0; i < n; i++) {
                wrong[i] = (truth[i] + 1 + i % 9) % 10;
            }
            double[] right = eval.requestedClassAccuracy(images, truth, 10);
            double[] off = eval.requestedClassAccuracy(images, wrong, 10);
            assertThat(right).hasSize(11);
            assertThat(right[10]).isGreaterThan(0.97);
            for (int c = 0; c < 10; c++) {
                assertThat(right[c]).as("class %d", c).isGreaterThan(0.9);
            }
            assertThat(off[10]).isLessThan(0.03);
        }
    }
}
