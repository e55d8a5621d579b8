package org.genlab.eval.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.GenLabHome;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.datasets.caption.CaptionedImages;
import org.genlab.datasets.caption.PromptSet;
import org.genlab.datasets.caption.PromptSet.Prompt;
import org.genlab.eval.classifier.FeatureClassifier;
import org.junit.jupiter.api.Test;

/**
 * The prompt score on real test digits standing in for samples: asked for their own caption they
 * score about the classifier's accuracy and every attribute; asked for another image's caption,
 * about chance.
 */
class PromptScoreTest {

    @Test
    void realDigitsMatchTheirOwnCaptionsAndNotOthers() {
        try (FeatureClassifier clf =
                        FeatureClassifier.obtain(
                                "mnist", GenLabHome.dataDir(), Device.cpu(), System.out);
                NDManager m = NDManager.newBaseManager()) {
            CaptionedImages test =
                    CaptionedImages.of(
                            ImageDataset.builder().setName("mnist").optSplit(Split.TEST).build());
            int n = 600;
            int[] idx = new int[n];
            List<Prompt> own = new ArrayList<>();
            List<Prompt> other = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                idx[i] = i;
                own.add(new Prompt(test.label(i), test.bins(i), test.caption(i)));
                int j = (i * 7919 + 13) % test.size();
                other.add(new Prompt(test.label(j), test.bins(j), test.caption(j)));
            }
            NDArray images = test.data().samples(m, idx);
            PromptSet.Score right = PromptAccuracy.score(clf, test, own, images);
            PromptSet.Score wrong = PromptAccuracy.score(clf, test, other, images);
            assertThat(right.classAccuracy()).isGreaterThan(0.97);
            // the same measurement as the captions: every requested attribute is met
            assertThat(right.attributeAccuracy()).isGreaterThan(0.995);
            assertThat(right.requested()).isEqualTo(3 * n);
            assertThat(wrong.classAccuracy()).isLessThan(0.2);
            // three bins of a third each: a random caption's attribute matches about a third
            assertThat(wrong.attributeAccuracy()).isCloseTo(0.36, within(0.1));
        }
    }
}
