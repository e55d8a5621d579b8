/**
 * The encoder and decoder networks of GenLab's autoencoders. Start with {@link
 * org.genlab.autoencoder.nn.Encoder}: two stride-2 convolutions take an image down 4× in each side
 * (MNIST 28×28 → 7×7, CIFAR-10 32×32 → 8×8); {@link org.genlab.autoencoder.nn.Decoder} mirrors it
 * with nearest-neighbour upsampling and convolutions. Latent diffusion (Rombach et al., "High-
 * Resolution Image Synthesis with Latent Diffusion Models", CVPR 2022) uses such a pair with a
 * downsampling factor f = 4 to 8 and shows that f = 4 keeps almost all detail while making the
 * diffusion model's input 16× smaller. What sits between them — the latent's regulariser — is a
 * separate piece, in {@link org.genlab.autoencoder.bottleneck}.
 */
package org.genlab.autoencoder.nn;
