/**
 * Guidance: steering a diffusion model towards a class. {@link
 * org.genlab.diffusion.guidance.ClassifierFreeGuidance} (Ho &amp; Salimans, <i>Classifier-Free
 * Diffusion Guidance</i>, 2022) needs no separate classifier: the model is trained with its label
 * randomly replaced by a "null" class, and at sampling time the conditional prediction is pushed
 * further away from the unconditional one by a weight w. It wraps a denoiser, so it works with any
 * sampler.
 */
package org.genlab.diffusion.guidance;
