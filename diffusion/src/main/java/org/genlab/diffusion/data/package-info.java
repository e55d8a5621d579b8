/**
 * Data for the diffusion trainer: the small {@link org.genlab.diffusion.data.BatchSource} interface
 * the trainer reads (one batch per step) and {@link org.genlab.diffusion.data.TensorBatchSource},
 * which keeps a whole training set on the device and draws each batch there with one gather. The
 * images themselves come from {@code org.genlab.datasets.ImageDataset}, the 2D points from {@code
 * org.genlab.datasets.toy.ToyDataset}.
 */
package org.genlab.diffusion.data;
