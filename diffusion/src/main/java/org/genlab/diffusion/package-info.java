/**
 * Denoising diffusion models (Ho, Jain &amp; Abbeel 2020), split the way diffusers splits them: the
 * noise process ({@code schedule}), the networks ({@code nn}), training ({@code train}), the
 * reverse process ({@code sampler}) and what wraps a sampler step ({@code guidance}, {@code
 * inpaint}); {@code viz} draws it. Start at {@link org.genlab.diffusion.schedule.NoiseSchedule},
 * then {@link org.genlab.diffusion.train.DiffusionTrainer} and {@link
 * org.genlab.diffusion.sampler.DdimSampler}.
 */
package org.genlab.diffusion;
