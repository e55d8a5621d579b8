/**
 * Seeing diffusion: {@link org.genlab.diffusion.viz.Trajectories} draws one image being noised by
 * the forward process (a strip over t) and records the reverse process — the noisy x_t and the
 * model's running guess of the clean image x̂_0 — as GIF frames and a strip. Watching x̂_0 sharpen
 * while x_t is still mostly noise is the clearest way to see what the denoiser learned (Ho et al.,
 * <i>Denoising Diffusion Probabilistic Models</i>, 2020, Fig. 6).
 */
package org.genlab.diffusion.viz;
