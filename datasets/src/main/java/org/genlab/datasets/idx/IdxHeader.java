package org.genlab.datasets.idx;

/**
 * The header of an IDX file.
 *
 * @param rank the number of dimensions: 1 for labels, 3 for images
 * @param count the first dimension: how many labels or images the file holds
 * @param rows image rows (1 for label files)
 * @param cols image columns (1 for label files)
 */
public record IdxHeader(int rank, int count, int rows, int cols) {

    /**
     * Returns the bytes of one item: {@code rows * cols}.
     *
     * @return bytes per image, or 1 for labels
     */
    public int itemBytes() {
        return rows * cols;
    }

    /**
     * Returns the bytes of all items: {@code count * rows * cols}, which the reader has checked
     * against the file's length.
     *
     * @return the length of the file after its header
     */
    public long bodyBytes() {
        return (long) count * itemBytes();
    }
}
