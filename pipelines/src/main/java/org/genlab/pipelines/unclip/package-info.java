/**
 * The decoder of unCLIP (Ramesh et al., <i>Hierarchical Text-Conditional Image Generation with CLIP
 * Latents</i>, 2022; "DALL-E 2"): a diffusion model that draws an image x from its CLIP image
 * embedding z_i, P(x | z_i). CLIP keeps what an image means (its class, its style) and drops the
 * rest, so decoding the same z_i from different noise gives <i>variations</i> of an image, and
 * decoding points on the great circle between two embeddings interpolates between two images. A
 * prior (text → z_i) in front of the decoder makes it a text-to-image model. Start with {@link
 * org.genlab.pipelines.unclip.UnclipDecoder} (the run's data and settings), then {@link
 * org.genlab.pipelines.unclip.ImageEmbeddingEncoder} (how the UNet reads z_i) and {@link
 * org.genlab.pipelines.unclip.Variations} (sampling).
 */
package org.genlab.pipelines.unclip;
