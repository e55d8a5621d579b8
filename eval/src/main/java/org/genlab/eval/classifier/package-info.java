/**
 * Classifiers GenLab trains itself to measure samples with.
 *
 * <p>The FID of Heusel et al. (2017) measures images in the feature space of an Inception network
 * trained on ImageNet; on 28×28 digits those features mean little, and its maintainers advise
 * against using it there. GenLab instead trains a small classifier on the same data set (a LeNet,
 * LeCun et al. 1998, on MNIST and Fashion-MNIST; a small VGG-style CNN on CIFAR-10), caches it next
 * to the data with its test accuracy, and uses its penultimate layer as the feature space: the
 * Fréchet distance there is the <i>Fréchet LeNet Distance</i> (FLD). Its class probabilities give
 * the class coverage of a sample set. Start at {@link
 * org.genlab.eval.classifier.FeatureClassifier}.
 */
package org.genlab.eval.classifier;
