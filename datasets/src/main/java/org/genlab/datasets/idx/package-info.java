/**
 * The IDX file format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is a tiny tensor file from 1998 (LeCun, Bottou, Bengio and Haffner,
 * "Gradient-based learning applied to document recognition"): a 4-byte <em>magic number</em> {@code
 * 00 00 08 R} (type 8 = unsigned byte, R = rank), then R big-endian 32-bit dimensions, then the
 * values. Image files have rank 3 (count, rows, columns), label files rank 1 (count). The files are
 * often stored gzipped; {@link org.genlab.datasets.idx.IdxReader} reads both forms and checks
 * everything it can — magic number, rank, dimensions, exact length, label range — so a damaged file
 * fails with a message naming the file instead of a silent short read. Start with {@link
 * org.genlab.datasets.idx.IdxReader}.
 */
package org.genlab.datasets.idx;
