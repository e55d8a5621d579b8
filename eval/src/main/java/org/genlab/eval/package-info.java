/**
 * Measuring generative models: the classifiers whose feature space the metrics live in, the
 * evaluation of a sample set, and the GAN-vs-diffusion comparison. Start at {@link
 * org.genlab.eval.classifier.FeatureClassifier}.
 */
package org.genlab.eval;
