/**
 * Denoising diffusion models (Ho, Jain &amp; Abbeel 2020), split the way diffusers splits them: the
 * noise process ({@code schedule}), the networks ({@code nn}), training ({@code train}), the
 * reverse process ({@code sampler}) and what wraps a sampler step ({@code guidance}, {@code
 * inpaint}); {@code viz} draws it. Start at {@link org.genlab.diffusion.schedule.NoiseSchedule},
 * then {@link org.genlab.diffusion.train.DdpmLoss} (the training algorithm) and {@link
 * org.genlab.diffusion.sampler.DdimSampler}.
 *
 * <p>Each part is open to your own: a denoiser is any DJL block ({@code
 * DiffusionTrainer.Builder#setDenoiser}, helped by {@code org.genlab.core.nn.LazyBlock} and {@link
 * org.genlab.diffusion.nn.TimeEmbedding}), a schedule any β or ᾱ table ({@link
 * org.genlab.diffusion.schedule.NoiseSchedule#fromBetas}, {@link
 * org.genlab.diffusion.schedule.NoiseSchedule#fromAlphaBars}), and the samplers drive any {@link
 * org.genlab.diffusion.nn.Denoiser}.
 */
package org.genlab.diffusion;
