/**
 * Exploring a trained generator: grids, class-by-class grids, the truncation trick (Brock et al.,
 * BigGAN, 2019), linear and spherical interpolation (White 2016) as strips and GIFs, and latent
 * mixing. Start with {@link org.genlab.gan.sample.GanSampler}; {@link
 * org.genlab.gan.sample.Latents} holds the latent-space arithmetic.
 */
package org.genlab.gan.sample;
