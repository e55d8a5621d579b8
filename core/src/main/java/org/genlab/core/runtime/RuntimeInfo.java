package org.genlab.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLab;

/**
 * What this machine runs GenLab with: versions, the engine and the libtorch build actually loaded,
 * and the devices DJL sees. Loading the engine is what makes these facts true, so creating this
 * report loads it.
 */
public final class RuntimeInfo {

    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<String> devices = new ArrayList<>();

    private RuntimeInfo() {}

    /**
     * Loads the engine and collects the report.
     *
     * @return the report
     */
    public static RuntimeInfo collect() {
        RuntimeInfo r = new RuntimeInfo();
        Engine engine = Engine.getInstance();
        r.facts.put("GenLab", GenLab.version());
        r.facts.put(
                "Java",
                System.getProperty("java.version")
                        + " ("
                        + System.getProperty("java.vendor")
                        + ")");
        r.facts.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        r.facts.put("DJL", Engine.getDjlVersion());
        r.facts.put("Engine", engine.getEngineName() + " " + engine.getVersion());
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        r.facts.put("libtorch flavour", cuda ? "cuda" : "cpu");
        r.facts.put("libtorch path", libtorchPath());
        r.facts.put(
                "Offline",
                Boolean.getBoolean("ai.djl.offline")
                        ? "yes (no downloads)"
                        : "no (DJL may download)");
        for (Device d : Devices.available()) {
            r.devices.add(Devices.describe(d));
        }
        r.facts.put("Default device", Devices.name(Devices.resolve("auto")));
        return r;
    }

    /**
     * Returns the facts, in report order.
     *
     * @return name to value
     */
    public Map<String, String> facts() {
        return facts;
    }

    /**
     * Returns a description of each device DJL sees.
     *
     * @return the CPU first, then each GPU
     */
    public List<String> devices() {
        return devices;
    }

    private static String libtorchPath() {
        try {
            return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }
}
