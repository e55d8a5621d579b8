/**
 * Images as tensors, and tensors as pictures people can look at.
 *
 * <p>A batch of images is an {@code (N, C, H, W)} float tensor with pixel values scaled from {@code
 * [0, 255]} to {@code [-1, 1]}: {@code x = v / 127.5 - 1}. {@link
 * org.genlab.core.image.ImageTensors} converts in both directions (exactly, for 8-bit images).
 * {@link org.genlab.core.image.SampleGrid} lays a batch out as one picture, {@link
 * org.genlab.core.image.AnimatedGif} turns a sequence of pictures into an animation (a denoising
 * trajectory, training progress), and {@link org.genlab.core.image.Provenance} labels every PNG
 * GenLab writes as AI-generated (IPTC digital source type {@code trainedAlgorithmicMedia}), naming
 * the software, the model, the run and the seed.
 */
package org.genlab.core.image;
