/**
 * Noise schedules and the forward process. A diffusion model destroys data by adding Gaussian noise
 * in T small steps with variances β_1..β_T; because Gaussians compose, the noisy x_t can be drawn
 * directly from x_0 as √ᾱ_t x_0 + √(1 − ᾱ_t) ε (Ho, Jain &amp; Abbeel, <i>Denoising Diffusion
 * Probabilistic Models</i>, 2020). The schedule decides how fast ᾱ falls from 1 to almost 0:
 * linearly spaced β (Ho et al.) or the cosine schedule of Nichol &amp; Dhariwal (<i>Improved
 * Denoising Diffusion Probabilistic Models</i>, 2021), which destroys information more evenly.
 * Start reading at {@link org.genlab.diffusion.schedule.NoiseSchedule}, then {@link
 * org.genlab.diffusion.schedule.ForwardProcess}.
 */
package org.genlab.diffusion.schedule;
