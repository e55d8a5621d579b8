/**
 * Training a diffusion model: {@link org.genlab.diffusion.train.DiffusionTrainer} implements
 * Algorithm 1 of Ho et al. (<i>Denoising Diffusion Probabilistic Models</i>, 2020) — noise a clean
 * batch to random steps and regress the noise with a mean-squared error — as a task for the core
 * training loop (progress bar, checkpoints, resume, divergence checks). {@link
 * org.genlab.diffusion.train.ModelSpec} records what was trained so a run folder can be sampled
 * later.
 */
package org.genlab.diffusion.train;
