package org.genlab.datasets;

/** Which part of a data set: the training images or the held-out test images. */
public enum Split {
    /** The training split (60,000 images for MNIST and Fashion-MNIST, 50,000 for CIFAR-10). */
    TRAIN,
    /** The test split (10,000 images). */
    TEST
}
