/**
 * Two-dimensional toy distributions: the lecture's microscope for generative models.
 *
 * <p>On a plane you can <em>see</em> what a model learned. The ring of eight Gaussians (Metz et
 * al., "Unrolled Generative Adversarial Networks", 2017) shows mode collapse at a glance: count the
 * modes a GAN's samples cover ({@link org.genlab.datasets.toy.RingOfGaussians#centres()}). Two
 * moons, the Swiss roll and the checkerboard (as in Grathwohl et al., FFJORD, 2019) have curved,
 * thin or disconnected support; {@link org.genlab.datasets.toy.PictureShape} turns any PNG into a
 * distribution, which makes a nice diffusion demo. Each is a {@link
 * org.genlab.datasets.toy.ToyDistribution}; {@link org.genlab.datasets.toy.ToyDataset} draws a
 * seeded, fixed-size sample from one. Start with {@link org.genlab.datasets.toy.ToyDataset}.
 */
package org.genlab.datasets.toy;
