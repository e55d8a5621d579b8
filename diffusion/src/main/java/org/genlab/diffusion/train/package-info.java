/**
 * Training a diffusion model. {@link org.genlab.diffusion.train.DdpmLoss} is Algorithm 1 of Ho et
 * al. (<i>Denoising Diffusion Probabilistic Models</i>, 2020) on one screen — noise a clean batch
 * to random steps and regress the noise (or v) with a mean-squared error, dropping labels for
 * classifier-free guidance — and {@link org.genlab.diffusion.train.DiffusionTrainer} runs it as a
 * task of the core training loop (Adam, gradient clip, EMA, checkpoints, resume, progress
 * pictures). The denoiser can be any DJL block; {@link org.genlab.diffusion.train.ModelSpec}
 * describes the built-in ones so that a run folder can be sampled later by the CLI. Start reading
 * at {@code DdpmLoss}.
 */
package org.genlab.diffusion.train;
