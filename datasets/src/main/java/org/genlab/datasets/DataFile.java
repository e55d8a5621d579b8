package org.genlab.datasets;

/**
 * One file of a data set as it is kept in the cache: its official name, its exact size and the MD5
 * of its (uncompressed) content.
 *
 * @param name the file name inside the data set's folder, e.g. {@code train-images-idx3-ubyte}
 * @param bytes the exact size in bytes
 * @param md5 the MD5 of the content, 32 lower-case hex digits
 */
public record DataFile(String name, long bytes, String md5) {}
