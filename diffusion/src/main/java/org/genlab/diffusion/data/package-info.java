/**
 * Data for the diffusion trainer: the small {@link org.genlab.diffusion.data.BatchSource} interface
 * the trainer reads (one batch per step), a device-resident implementation, and stop-gap readers
 * (MNIST IDX files, 2D toy sets) used until the {@code datasets} module lands.
 */
package org.genlab.diffusion.data;
