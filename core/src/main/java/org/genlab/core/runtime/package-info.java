/**
 * Which device a run uses and how its randomness is seeded.
 *
 * <p>GenLab never hard-codes the CPU: {@link org.genlab.core.runtime.Devices#resolve(String)} turns
 * {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} into a DJL {@link ai.djl.Device},
 * choosing CUDA when DJL's PyTorch engine sees a GPU. {@link org.genlab.core.runtime.Seeds} seeds
 * Java's and the engine's generators with one call, and derives a seed per training step so that a
 * resumed run draws exactly the noise the uninterrupted run would have drawn. {@link
 * org.genlab.core.runtime.RuntimeInfo} is what {@code genlab info} prints.
 */
package org.genlab.core.runtime;
