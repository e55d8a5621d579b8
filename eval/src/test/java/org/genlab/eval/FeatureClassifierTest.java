package org.genlab.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.genlab.core.GenLabHome;
import org.genlab.core.metrics.FrechetDistance;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.eval.classifier.FeatureClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains (once, then cached next to the data) and checks the MNIST LeNet on the real test set. */
class FeatureClassifierTest {

    private static int[] range(int from, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    @Test
    void mnistLenetReachesItsTargetAndSeparatesRealFromNoise() {
        try (FeatureClassifier clf =
                        FeatureClassifier.obtain(
                                "mnist", GenLabHome.dataDir(), Device.cpu(), System.out);
                NDManager m = NDManager.newBaseManager()) {
            assertThat(clf.testAccuracy()).isGreaterThanOrEqualTo(0.990);
            assertThat(clf.distanceName()).isEqualTo("Fréchet LeNet Distance");

            ImageDataset train =
                    ImageDataset.builder().setName("mnist").optSplit(Split.TRAIN).build();
            ImageDataset test =
                    ImageDataset.builder().setName("mnist").optSplit(Split.TEST).build();
            double[][] a = clf.features(train.images(m, range(0, 2000)));
            double[][] b = clf.features(test.images(m, range(0, 2000)));
            assertThat(a[0]).hasSize(84);
            NDArray noise = m.randomUniform(-1, 1, new Shape(2000, 1, 28, 28));
            double[][] c = clf.features(noise);
            double realVsReal = FrechetDistance.between(a, b);
            double realVsNoise = FrechetDistance.between(a, c);
            assertThat(realVsNoise).isGreaterThan(20 * realVsReal);

            double[][] p = clf.probabilities(test.images(m, range(0, 10)));
            double sum = 0;
            for (double v : p[0]) {
                sum += v;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void aCorruptAccuracyFileIsMeasuredAgainFromTheKeptCheckpoint(@TempDir Path data)
            throws Exception {
        Path home = GenLabHome.dataDir();
        try (FeatureClassifier clf =
                FeatureClassifier.obtain("mnist", home, Device.cpu(), System.out)) {
            assertThat(clf.testAccuracy()).isGreaterThanOrEqualTo(0.990); // trained and cached
        }
        Path cached = FeatureClassifier.status("mnist", home).dir();
        Path copy = FeatureClassifier.status("mnist", data).dir();
        Files.createDirectories(copy);
        Files.copy(cached.resolve("checkpoint.zip"), copy.resolve("checkpoint.zip"));
        Files.createSymbolicLink(data.resolve("mnist"), home.resolve("mnist"));
        Files.writeString(copy.resolve("accuracy.properties"), "test.accuracy=garbage\n");
        assertThat(FeatureClassifier.status("mnist", data).trained()).isFalse();

        try (FeatureClassifier clf =
                FeatureClassifier.obtain("mnist", data, Device.cpu(), System.out)) {
            assertThat(clf.testAccuracy()).isGreaterThanOrEqualTo(0.990);
        }
        assertThat(FeatureClassifier.status("mnist", data).accuracy())
                .hasValue(FeatureClassifier.status("mnist", home).accuracy().getAsDouble());
    }
}
