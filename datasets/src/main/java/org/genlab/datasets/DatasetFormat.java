package org.genlab.datasets;

/** The file format a data set is kept in. */
public enum DatasetFormat {
    /** LeCun's IDX format: one image file and one label file per split. */
    IDX,
    /** The CIFAR-10 binary batches: records of one label byte and 3072 pixel bytes. */
    CIFAR_BINARY
}
