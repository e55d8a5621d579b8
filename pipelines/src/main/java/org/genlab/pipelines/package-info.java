/**
 * What wires GenLab's model families together, so that none of them has to know another: a
 * caption's words become token ids for the data ({@code text2image.CaptionedSamples}), a text
 * encoder is put inside a diffusion UNet to read them (GLIDE, Nichol et al. 2022: {@code
 * text2image.TextConditioning}), and a trained text-to-image model repaints regions of a canvas one
 * prompt after another ({@code edit.Editor}); a CLIP image embedding conditions the decoder of
 * unCLIP (Ramesh et al. 2022: {@code unclip.UnclipDecoder}, {@code unclip.Variations}). Start with
 * {@code TextConditioning}.
 */
package org.genlab.pipelines;
