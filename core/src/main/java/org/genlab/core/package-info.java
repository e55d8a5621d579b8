/**
 * The shared ground of GenLab: what both the GAN and the diffusion modules stand on.
 *
 * <p>Start with {@link org.genlab.core.runtime.Devices} (which device a run uses) and {@link
 * org.genlab.core.train.TrainingLoop} (the loop every trainer builds on). Images go in and out of
 * tensors through {@link org.genlab.core.image.ImageTensors}; runs are saved and resumed through
 * {@link org.genlab.core.checkpoint.Checkpoint}.
 */
package org.genlab.core;
