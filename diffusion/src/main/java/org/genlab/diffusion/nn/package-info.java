/**
 * Denoisers: the networks ε_θ(x_t, t) that learn to predict the noise in a noisy sample. For
 * images, the {@link org.genlab.diffusion.nn.UNet} of Ho et al. (<i>Denoising Diffusion
 * Probabilistic Models</i>, 2020): residual blocks with {@link org.genlab.diffusion.nn.GroupNorm}
 * and SiLU, the diffusion step fed in as a sinusoidal embedding added in every block,
 * self-attention at the lowest resolution and skip connections. For 2D toy data, the {@link
 * org.genlab.diffusion.nn.MlpDenoiser}. Samplers only see the {@link
 * org.genlab.diffusion.nn.Denoiser} interface, so anything that predicts ε can be sampled. Start
 * reading at {@link org.genlab.diffusion.nn.Denoiser}.
 */
package org.genlab.diffusion.nn;
