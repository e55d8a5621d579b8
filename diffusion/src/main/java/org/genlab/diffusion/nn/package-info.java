/**
 * Denoisers: the networks ε_θ(x_t, t) that learn to predict the noise in a noisy sample. For
 * images, the {@link org.genlab.diffusion.nn.UNet} of Ho et al. (<i>Denoising Diffusion
 * Probabilistic Models</i>, 2020): residual blocks with {@link org.genlab.diffusion.nn.GroupNorm}
 * and SiLU, the diffusion step fed in as a sinusoidal embedding ({@link
 * org.genlab.diffusion.nn.TimeEmbedding}) added in every block, self-attention at the lowest
 * resolution and skip connections. For 2D toy data, the {@link
 * org.genlab.diffusion.nn.MlpDenoiser}. Samplers only see the {@link
 * org.genlab.diffusion.nn.Denoiser} interface, so anything that predicts ε (or v, {@link
 * org.genlab.diffusion.nn.Prediction}) can be sampled.
 *
 * <p>A UNet can read a caption instead of a class (GLIDE, Nichol et al. 2022): given a text encoder
 * ({@code UNet.Builder.optTextEncoder}), its third input is the caption's token ids, a {@link
 * org.genlab.diffusion.nn.CrossAttention} after every self-attention lets each pixel attend to the
 * words, and the pooled caption vector joins the step embedding.
 *
 * <p>Your own denoiser is a DJL block taking {@code (x_t, t[, labels])}: extend {@code
 * org.genlab.core.nn.LazyBlock}, add children in the constructor, call them with {@code
 * org.genlab.core.nn.Children.call} and embed t with {@link
 * org.genlab.diffusion.nn.TimeEmbedding#sinusoidal}, as the blocks here do; then give it to {@code
 * DiffusionTrainer.builder().setDenoiser(block)}. Start reading at {@link
 * org.genlab.diffusion.nn.Denoiser}, then {@link org.genlab.diffusion.nn.ResidualBlock}.
 */
package org.genlab.diffusion.nn;
