/**
 * Bottlenecks: what sits between an autoencoder's encoder and decoder, and makes its latent fit for
 * a generative model. Start with {@link org.genlab.autoencoder.bottleneck.Bottleneck}, then read
 * {@link org.genlab.autoencoder.bottleneck.KlBottleneck} and {@link
 * org.genlab.autoencoder.bottleneck.VqBottleneck}.
 *
 * <p>A plain autoencoder can put its codes anywhere, at any scale, with gaps between them; a
 * diffusion model trained on such codes has to learn that odd shape first. The KL bottleneck of a
 * variational autoencoder (Kingma &amp; Welling, "Auto-Encoding Variational Bayes", ICLR 2014)
 * treats each code as a small Gaussian cloud N(μ, σ²), decodes a random point of it while training
 * (z = μ + σ ε), and pays β · KL(N(μ, σ²) ‖ N(0, I)) for straying from a standard Gaussian. With a
 * small β, as in latent diffusion (Rombach et al., CVPR 2022, where β ≈ 10⁻⁶), the latent stays
 * smooth and bounded while the reconstructions stay sharp.
 *
 * <p>The vector-quantised bottleneck (van den Oord, Vinyals &amp; Kavukcuoglu, "Neural Discrete
 * Representation Learning", NeurIPS 2017) is the other choice, for models that read images as
 * tokens: it keeps a codebook of K learned vectors e_1 … e_K and replaces each latent position by
 * its nearest code, z_q = e_k with k = argmin_j ‖z_e − e_j‖², so an MNIST digit becomes a 7×7 grid
 * of integers in [0, K) that an autoregressive transformer can write one by one, like words. The
 * argmin has no gradient; the straight-through estimator z_e + sg[z_q − z_e] copies the decoder's
 * gradient to the encoder, a codebook loss ‖sg[z_e] − e‖² pulls the codes to the encoder outputs
 * and a commitment loss β ‖z_e − sg[e]‖² keeps the encoder near its codes. Codes no one chooses for
 * a while are restarted on encoder outputs, and the share of codes in use and the perplexity of
 * their frequencies say how much of the codebook the model really uses.
 */
package org.genlab.autoencoder.bottleneck;
