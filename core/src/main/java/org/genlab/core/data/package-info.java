/**
 * The one way data reaches a GenLab trainer. A {@link org.genlab.core.data.SampleSet} is a data set
 * that gives examples by index (MNIST, CIFAR-10, a 2D toy, tensors in memory, or your own); a
 * {@link org.genlab.core.data.BatchSource} turns it into the batch of each step, usually with
 * {@link org.genlab.core.data.BatchSource#shuffled}: every epoch visits the data in a fresh order
 * that depends only on the seed and the epoch ({@link org.genlab.core.data.Batches}), so a resumed
 * run sees the same batches. Start with {@code SampleSet}.
 */
package org.genlab.core.data;
