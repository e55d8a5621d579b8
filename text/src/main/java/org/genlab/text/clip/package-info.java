/**
 * CLIP, contrastive language-image pre-training (Radford et al., "Learning Transferable Visual
 * Models From Natural Language Supervision", ICML 2021). Two encoders, one for images and one for
 * captions, are trained together so that in a batch of n pairs each image is most similar to its
 * own caption and each caption to its own image: an n-way classification in both directions ({@link
 * org.genlab.text.clip.ContrastiveLoss}). Nothing is trained on class labels, yet the result
 * classifies: describe each class in words and pick the nearest ({@link
 * org.genlab.text.clip.ZeroShot}). Its text embeddings are also what DALL·E 2 (unCLIP) conditions
 * on. Start with {@link org.genlab.text.clip.Clip} and {@link org.genlab.text.clip.ClipTrainer}.
 */
package org.genlab.text.clip;
