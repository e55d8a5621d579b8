/**
 * Saving a run so that it can be resumed exactly, and never losing what was saved.
 *
 * <p>A checkpoint is one file, {@code checkpoint.zip} in the run folder, holding everything needed
 * to continue training as if nothing had happened: the parameters of every network, their EMA
 * copies, the optimizer state (Adam's moment estimates and step count: DJL's own {@code Adam}
 * cannot save those, so GenLab owns its optimizer), the step reached, the loss history and the
 * run's configuration. Three things protect it. {@link org.genlab.core.checkpoint.AtomicFiles}
 * writes it to a temporary file and renames it into place, so a kill at any moment leaves the
 * previous checkpoint whole. Every entry carries a SHA-256 digest that is checked on each load, so
 * a bit flipped on the disk is refused by name instead of loading as different weights. And the
 * checkpoint before the latest is kept as {@code checkpoint.prev.zip}, which the loaders fall back
 * to, saying so, when the latest is damaged or missing. Start reading at {@link
 * org.genlab.core.checkpoint.Checkpoint}.
 */
package org.genlab.core.checkpoint;
