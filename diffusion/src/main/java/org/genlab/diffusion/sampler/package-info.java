/**
 * Samplers: the reverse process that turns noise into data by repeatedly asking a denoiser how much
 * noise is in the current sample. {@link org.genlab.diffusion.sampler.DdpmSampler} is the ancestral
 * sampler of Ho et al. (<i>Denoising Diffusion Probabilistic Models</i>, 2020): T stochastic steps.
 * {@link org.genlab.diffusion.sampler.DdimSampler} (Song, Meng &amp; Ermon, <i>Denoising Diffusion
 * Implicit Models</i>, 2021) reuses the same network on a short sub-sequence of steps and, with η =
 * 0, is deterministic — 20× fewer network calls for similar images. Start reading at {@link
 * org.genlab.diffusion.sampler.Sampler}.
 */
package org.genlab.diffusion.sampler;
