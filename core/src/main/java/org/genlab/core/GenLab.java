package org.genlab.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Names and versions of this build of GenLab, read from the properties Maven writes at build time.
 */
public final class GenLab {

    /** The software name written into every image and run GenLab makes. */
    public static final String NAME = "GenLab";

    private static final Properties BUILD = load();

    private GenLab() {}

    /**
     * Returns the GenLab version, e.g. {@code 0.1.0-SNAPSHOT}.
     *
     * @return the version of this build
     */
    public static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /**
     * Returns the DJL version GenLab was built against.
     *
     * @return the DJL version, e.g. {@code 0.36.0}
     */
    public static String djlVersion() {
        return BUILD.getProperty("djl.version", "unknown");
    }

    /**
     * Returns the software string written into image metadata: name and version.
     *
     * @return e.g. {@code GenLab 0.1.0}
     */
    public static String software() {
        return NAME + " " + version();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = GenLab.class.getResourceAsStream("genlab.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
