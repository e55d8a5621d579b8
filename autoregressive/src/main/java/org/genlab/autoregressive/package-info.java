/**
 * Autoregressive image generation over discrete image tokens: DALL-E in miniature (Ramesh et al.,
 * "Zero-Shot Text-to-Image Generation", ICML 2021). A VQ autoencoder (in the {@code autoencoder}
 * module) turns each image into a grid of codes — 7×7 for MNIST — and a causal transformer learns
 * to write that grid token by token, like a sentence, after a prefix: a class token, "no
 * condition", or — as in DALL-E — the word ids of a caption (the module sees only ids; the words
 * live in the {@code text} module). Sampling draws the tokens one at a time and the autoencoder's
 * decoder turns them back into pixels. Start with {@link
 * org.genlab.autoregressive.nn.TokenTransformer}, then {@link
 * org.genlab.autoregressive.train.TokenTransformerTrainer} and {@link
 * org.genlab.autoregressive.sample.TokenSampler}; {@link org.genlab.autoregressive.ImageTokens}
 * turns an image set into token sequences once.
 */
package org.genlab.autoregressive;
