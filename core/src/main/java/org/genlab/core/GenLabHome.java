package org.genlab.core;

import java.nio.file.Path;

/**
 * Where GenLab keeps its files: {@code $GENLAB_HOME}, by default {@code ~/.genlab}. Data sets live
 * in {@code data/} below it unless {@code GENLAB_DATA} (or the system property {@code genlab.data})
 * names another folder.
 */
public final class GenLabHome {

    private GenLabHome() {}

    /**
     * Returns GenLab's home folder.
     *
     * @return {@code $GENLAB_HOME}, or {@code ~/.genlab}
     */
    public static Path home() {
        String p = System.getProperty("genlab.home", System.getenv("GENLAB_HOME"));
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return Path.of(System.getProperty("user.home"), ".genlab");
    }

    /**
     * Returns the data cache folder.
     *
     * @return {@code genlab.data}, {@code $GENLAB_DATA}, or {@code home()/data}
     */
    public static Path dataDir() {
        String p = System.getProperty("genlab.data", System.getenv("GENLAB_DATA"));
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return home().resolve("data");
    }
}
