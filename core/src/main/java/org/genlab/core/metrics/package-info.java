/**
 * How good, how diverse and how new are the samples? Numbers measured in the feature space of a
 * classifier GenLab trains itself (on MNIST: a LeNet, hence "Fréchet LeNet Distance").
 *
 * <p>{@link org.genlab.core.metrics.FrechetDistance} compares the Gaussians fitted to real and
 * generated features (Heusel et al. 2017 used Inception features and called it FID; on MNIST those
 * features mean little, so GenLab uses its own classifier's). {@link
 * org.genlab.core.metrics.PrecisionRecall} asks separately how many samples look real (precision)
 * and how much of the real data the samples cover (recall) (Kynkäänniemi et al. 2019). {@link
 * org.genlab.core.metrics.ClassCoverage} shows mode collapse as missing classes, and {@link
 * org.genlab.core.metrics.NearestNeighbours} finds the training images closest to each sample: is
 * the model copying its data? Always report the number of samples and the reference split with a
 * number.
 */
package org.genlab.core.metrics;
