/**
 * Bottlenecks: what sits between an autoencoder's encoder and decoder, and makes its latent fit for
 * a generative model. Start with {@link org.genlab.autoencoder.bottleneck.Bottleneck}, then read
 * {@link org.genlab.autoencoder.bottleneck.KlBottleneck}.
 *
 * <p>A plain autoencoder can put its codes anywhere, at any scale, with gaps between them; a
 * diffusion model trained on such codes has to learn that odd shape first. The KL bottleneck of a
 * variational autoencoder (Kingma &amp; Welling, "Auto-Encoding Variational Bayes", ICLR 2014)
 * treats each code as a small Gaussian cloud N(μ, σ²), decodes a random point of it while training
 * (z = μ + σ ε), and pays β · KL(N(μ, σ²) ‖ N(0, I)) for straying from a standard Gaussian. With a
 * small β, as in latent diffusion (Rombach et al., CVPR 2022, where β ≈ 10⁻⁶), the latent stays
 * smooth and bounded while the reconstructions stay sharp. A vector-quantised bottleneck (van den
 * Oord et al., "Neural Discrete Representation Learning", NeurIPS 2017) is the other choice, for
 * models that read images as tokens.
 */
package org.genlab.autoencoder.bottleneck;
