/**
 * Sampling image tokens from a trained transformer, one token at a time: {@link
 * org.genlab.autoregressive.sample.TokenSampler} draws each code from the softmax of the logits,
 * sharpened by a temperature and truncated to the top k codes (Fan et al. 2018), optionally with
 * classifier-free guidance, reusing the keys and values of earlier positions. Unlike a diffusion
 * sampler, the cost grows with the number of tokens (N passes for N tokens), not with a number of
 * denoising steps.
 */
package org.genlab.autoregressive.sample;
