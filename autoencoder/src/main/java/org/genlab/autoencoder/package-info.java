/**
 * Autoencoders that compress images into a small latent, for latent diffusion, or into a grid of
 * tokens, for autoregressive models (a VQ-VAE: {@link org.genlab.autoencoder.Autoencoder#tokens}
 * and {@link org.genlab.autoencoder.Autoencoder#decodeTokens}). Start with {@link
 * org.genlab.autoencoder.Autoencoder} (encoder → bottleneck → decoder), then {@link
 * org.genlab.autoencoder.LatentSpace}, the trained autoencoder a diffusion model works through.
 *
 * <p>Latent diffusion (Rombach, Blattmann, Lorenz, Esser &amp; Ommer, "High-Resolution Image
 * Synthesis with Latent Diffusion Models", CVPR 2022) splits image generation in two. First an
 * autoencoder learns to squeeze an image into a latent f times smaller per side and back, keeping
 * what the eye sees and dropping imperceptible detail; then a diffusion model learns the
 * distribution of the latents, which is far cheaper than learning that of the pixels. Here f = 4:
 * an MNIST digit 1×28×28 becomes 4×7×7 (4× fewer numbers), a CIFAR-10 image 3×32×32 becomes 4×8×8
 * (12× fewer). The latent is regularised by a {@link org.genlab.autoencoder.bottleneck.Bottleneck}
 * (a small KL term, as in a VAE, or a vector-quantising codebook), and multiplied by a scale factor
 * s = 1 / std that gives it unit variance ({@link org.genlab.autoencoder.LatentScale}), which is
 * what a diffusion model's noise schedule expects.
 */
package org.genlab.autoencoder;
