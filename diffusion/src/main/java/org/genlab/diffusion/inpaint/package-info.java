/**
 * Inpainting: completing an image whose pixels are partly known with a model that was never trained
 * for it. {@link org.genlab.diffusion.inpaint.Inpainter} follows RePaint (Lugmayr et al.,
 * <i>RePaint: Inpainting using Denoising Diffusion Probabilistic Models</i>, CVPR 2022): at every
 * step of the reverse process the known pixels are replaced by the given image noised to the same
 * level, and steps are repeated (resampling) so that the generated part harmonises with the rest.
 */
package org.genlab.diffusion.inpaint;
