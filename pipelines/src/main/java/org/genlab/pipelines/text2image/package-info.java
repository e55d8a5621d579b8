/**
 * Text to image, GLIDE's way (Nichol et al., <i>GLIDE: Towards Photorealistic Image Generation and
 * Editing with Text-Guided Diffusion Models</i>, 2022): captions become token ids ({@link
 * org.genlab.pipelines.text2image.CaptionedSamples}), a transformer turns the ids into one vector
 * per word and a pooled sentence vector, and a diffusion UNet reads them — the words through
 * cross-attention, the sentence added to the step embedding ({@link
 * org.genlab.pipelines.text2image.TextConditioning}). The encoder is either the text half of a
 * trained CLIP model, frozen (as DALL-E 2 and latent diffusion do), or a fresh transformer trained
 * together with the denoiser (as GLIDE does). Captions are dropped to the empty caption 10 % of the
 * time, so classifier-free guidance can push samples towards a prompt.
 */
package org.genlab.pipelines.text2image;
