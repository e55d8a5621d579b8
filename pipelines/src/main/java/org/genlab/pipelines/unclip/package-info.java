/**
 * unCLIP (Ramesh et al., <i>Hierarchical Text-Conditional Image Generation with CLIP Latents</i>,
 * 2022; "DALL-E 2") generates an image from a caption y in two stages, p(x | y) = p(x | z_i, y)
 * p(z_i | y): a <em>prior</em> turns the caption's CLIP text embedding z_t into a CLIP image
 * embedding z_i, and a <em>decoder</em> (a diffusion model conditioned on z_i) turns that into
 * pixels; {@link org.genlab.pipelines.unclip.UnClip} chains them.
 *
 * <p><b>The decoder</b> draws x from z_i. CLIP keeps what an image means (its class, its style) and
 * drops the rest, so decoding the same z_i from different noise gives <i>variations</i> of an
 * image, and decoding points on the great circle between two embeddings interpolates between two
 * images. Start with {@link org.genlab.pipelines.unclip.UnclipDecoder} (the run's data and
 * settings), then {@link org.genlab.pipelines.unclip.ImageEmbeddingEncoder} (how the UNet reads
 * z_i) and {@link org.genlab.pipelines.unclip.Variations} (sampling).
 *
 * <p><b>The prior.</b> Text and image embeddings of the same content are close in CLIP's space but
 * not equal, and one caption fits many images, so the prior has a real job: a {@link
 * org.genlab.pipelines.unclip.RegressionPrior} predicts one embedding per caption, a {@link
 * org.genlab.pipelines.unclip.DiffusionPrior} samples from all the embeddings a caption allows. The
 * pairs come from a frozen CLIP run ({@link org.genlab.pipelines.unclip.PriorData}), training is a
 * {@link org.genlab.pipelines.unclip.PriorTrainer}, and {@link
 * org.genlab.pipelines.unclip.PriorEvaluation} compares the kinds by accuracy and diversity. Start
 * reading at {@link org.genlab.pipelines.unclip.Prior}.
 */
package org.genlab.pipelines.unclip;
