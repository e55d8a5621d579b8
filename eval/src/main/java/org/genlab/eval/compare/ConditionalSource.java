package org.genlab.eval.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Draws samples of requested classes from a class-conditional model ("a picture of a 7"): the
 * comparison asks for every class in turn and lets the feature classifier say whether it got it.
 */
public interface ConditionalSource {

    /**
     * Names the sampler, e.g. {@code GAN} or {@code DDIM-50, guidance 3}.
     *
     * @return the label shown in the report
     */
    String label();

    /**
     * Returns K, the number of classes the model was trained on.
     *
     * @return K
     */
    int numClasses();

    /**
     * Draws one sample per requested class label.
     *
     * @param manager where the samples live
     * @param labels int64 (n) class indices in [0, K)
     * @return {@code (n, C, H, W)} in [-1, 1]
     */
    NDArray sample(NDManager manager, NDArray labels);
}
