/**
 * DALL-E in miniature, wired together (Ramesh et al., "Zero-Shot Text-to-Image Generation", ICML
 * 2021): a VQ autoencoder turns images into 7×7 grids of codes ({@link
 * org.genlab.pipelines.tokens.VqRun}), the image-token transformer of the {@code autoregressive}
 * module writes such grids after a class, a caption or nothing, and the autoencoder's decoder turns
 * them back into pixels. Start with {@link org.genlab.pipelines.tokens.TokenRun}, which opens a
 * trained run folder and draws images ({@link org.genlab.pipelines.tokens.Sampling} holds the
 * settings); {@link org.genlab.pipelines.tokens.ClipReranker} is DALL-E's last step: draw several
 * candidates per prompt and keep the one a trained CLIP model finds closest to it.
 */
package org.genlab.pipelines.tokens;
