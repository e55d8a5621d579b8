/**
 * Text for text-to-image models: the words of a caption become token ids ({@link
 * org.genlab.text.tokenizer}), a transformer turns them into vectors ({@link
 * org.genlab.text.encoder}), and CLIP trains an image encoder and a text encoder so that an image
 * and its caption meet in one space ({@link org.genlab.text.clip}; Radford et al. 2021). A
 * diffusion model conditions on those vectors; the wiring lives above the model families. Start
 * with {@code clip.ClipTrainer}.
 */
package org.genlab.text;
