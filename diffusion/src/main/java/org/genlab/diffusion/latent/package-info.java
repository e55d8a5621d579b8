/**
 * Latent diffusion (Rombach, Blattmann, Lorenz, Esser &amp; Ommer, <i>High-Resolution Image
 * Synthesis with Latent Diffusion Models</i>, CVPR 2022): a small autoencoder first squeezes each
 * image into a latent a sixteenth of its size (1×28×28 → 4×7×7), the diffusion or flow model is
 * trained on those latents, and its samples are decoded back to pixels at the end. Every network
 * call is 16× cheaper, which is what makes diffusion learn in lecture time on a laptop. Start at
 * {@link org.genlab.diffusion.latent.LatentDiffusion}; the autoencoder lives in the {@code
 * autoencoder} module ({@code LatentSpace}).
 */
package org.genlab.diffusion.latent;
