/**
 * The training loop both trainers (GAN and diffusion) build on.
 *
 * <p>A trainer implements {@link org.genlab.core.train.TrainingTask}: one optimisation step, and
 * the state to checkpoint. {@link org.genlab.core.train.TrainingLoop} does the rest: it seeds every
 * step, closes a sub-manager after each step, shows a progress bar with the ETA and the current
 * losses, reads losses from the device only every few steps (each read is a device sync), stops a
 * run whose loss turns NaN or explodes, writes the loss history and chart, draws sample grids and
 * saves checkpoints every N steps and on Ctrl-C, and resumes from the last checkpoint. A run's
 * files live in a {@link org.genlab.core.train.RunFolder}.
 */
package org.genlab.core.train;
