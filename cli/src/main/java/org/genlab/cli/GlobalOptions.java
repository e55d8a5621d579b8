package org.genlab.cli;

import ai.djl.Device;
import org.genlab.core.runtime.Devices;

/**
 * The options every subcommand accepts, before or after its name: {@code --device} and {@code
 * --seed}. picocli sets them on whichever command they follow; they land here.
 */
public final class GlobalOptions {

    private static String device = "auto";
    private static long seed = 42;
    private static boolean seedSet;

    private GlobalOptions() {}

    static void setDevice(String spec) {
        device = spec;
    }

    static void setSeed(long value) {
        seed = value;
        seedSet = true;
    }

    /** A resumed run's own seed, used when the user gave none. */
    static void useRunSeed(long value) {
        seed = value;
    }

    /** Back to the defaults before a command line is parsed (one JVM may run several). */
    static void reset() {
        device = "auto";
        seed = 42;
        seedSet = false;
    }

    /**
     * Returns the device the user asked for, resolved (auto picks CUDA when DJL sees a GPU).
     *
     * @return the device
     */
    public static Device device() {
        return Devices.resolve(device);
    }

    /**
     * Returns the device name as given.
     *
     * @return e.g. {@code auto}
     */
    public static String deviceSpec() {
        return device;
    }

    /**
     * Returns the seed (default 42).
     *
     * @return the seed
     */
    public static long seed() {
        return seed;
    }

    /**
     * Tells whether the user gave {@code --seed}.
     *
     * @return true if set on the command line
     */
    public static boolean seedGiven() {
        return seedSet;
    }
}
