package org.genlab.datasets.idx;

/**
 * Images read from an IDX file, kept as unsigned bytes, one image after the other, row by row.
 *
 * @param count how many images {@code pixels} holds
 * @param rows rows per image
 * @param cols columns per image
 * @param pixels {@code count * rows * cols} grey values 0..255 (read with {@code & 0xFF})
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {}
