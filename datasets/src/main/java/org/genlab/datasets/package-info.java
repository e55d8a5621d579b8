/**
 * The data GenLab trains on: MNIST, Fashion-MNIST and CIFAR-10, real and checksummed.
 *
 * <p>A generative model can only be judged against the data it learned, so GenLab insists on the
 * genuine files: every data set is described by a {@link org.genlab.datasets.DatasetSpec} with the
 * official MD5 of each file, obtained through a chain of sources (cache, official hosts, package
 * channels, local import — see {@link org.genlab.datasets.source}) and kept in a local cache.
 * {@link org.genlab.datasets.DatasetRegistry} is the front door (list, fetch, verify, import);
 * {@link org.genlab.datasets.ImageDataset} checks a split's files against their checksums, loads
 * them into memory and hands trainers whole batches as (N,C,H,W) tensors scaled to [-1,1], the
 * range a generator's {@code tanh} output has. The 2D toy distributions used to <em>see</em> what a
 * GAN or diffusion model does live in {@link org.genlab.datasets.toy}. Start with {@link
 * org.genlab.datasets.ImageDataset}.
 */
package org.genlab.datasets;
