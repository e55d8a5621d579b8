package org.genlab.datasets;

import java.nio.file.Path;

/**
 * What the cache holds of one data set.
 *
 * @param name the data set's name, e.g. {@code mnist}
 * @param description one line about it
 * @param present whether every file is there with its expected size (checksums are checked by
 *     {@link DatasetRegistry#verify})
 * @param bytes the bytes its files take on disk now
 * @param folder the folder that holds (or would hold) its files
 */
public record DatasetStatus(
        String name, String description, boolean present, long bytes, Path folder) {}
