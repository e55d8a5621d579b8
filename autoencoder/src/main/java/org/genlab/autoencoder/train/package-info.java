/**
 * Training an autoencoder for latent diffusion. Start with {@link
 * org.genlab.autoencoder.train.AutoencoderTrainer}: one step encodes a batch, samples z = μ + σ ε,
 * decodes it and minimises L = L_rec(x, x̂) + β · KL(N(μ, σ²) ‖ N(0, I)) — the β-weighted evidence
 * lower bound of a variational autoencoder (Kingma &amp; Welling, "Auto-Encoding Variational
 * Bayes", ICLR 2014) with the small β of latent diffusion's "KL-reg" autoencoders (Rombach et al.,
 * "High-Resolution Image Synthesis with Latent Diffusion Models", CVPR 2022). A small β does not
 * make the latent a standard Gaussian; it keeps it smooth and bounded, and the scale factor
 * measured after training ({@link org.genlab.autoencoder.LatentScale}) gives it unit variance.
 */
package org.genlab.autoencoder.train;
