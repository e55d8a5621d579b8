package org.genlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resident memory of this process as Linux reports it in {@code /proc/self/status}: {@code
 * VmRSS} (now) and {@code VmHWM} (the peak, "high water mark"). Resident memory counts everything
 * the process really holds in RAM: the Java heap pages it has touched, libtorch's tensors, the
 * allocator's caches. On other systems the values are −1.
 *
 * <p>{@link #resetPeak()} writes {@code 5} to {@code /proc/self/clear_refs} (Linux ≥ 4.0), which
 * sets the peak back to the current value, so each benchmark row can report its own peak.
 */
public final class ProcMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcMemory() {}

    /**
     * Returns the resident set size now.
     *
     * @return bytes, or −1 where {@code /proc} is missing
     */
    public static long rss() {
        return field("VmRSS:");
    }

    /**
     * Returns the peak resident set size (since the start or the last {@link #resetPeak()}).
     *
     * @return bytes, or −1 where {@code /proc} is missing
     */
    public static long peakRss() {
        return field("VmHWM:");
    }

    /**
     * Sets the peak back to the current resident size.
     *
     * @return true if the kernel accepted it
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Converts bytes to mebibytes.
     *
     * @param bytes a size, or −1
     * @return MiB, or −1
     */
    public static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    // e.g. "VmRSS:	  123456 kB"
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
