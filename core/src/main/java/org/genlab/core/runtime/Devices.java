package org.genlab.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genlab.core.GenLabException;

/**
 * Turns a device name from the command line into a DJL {@link Device}.
 *
 * <p>Accepted names: {@code auto} (the first GPU DJL sees, else the CPU), {@code cpu}, {@code gpu}
 * (the first GPU) and {@code gpu:N}. Asking for a GPU that is not there is an error that lists the
 * devices that are.
 */
public final class Devices {

    private Devices() {}

    /**
     * Resolves a device name.
     *
     * @param spec {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; {@code null} means auto
     * @return the device
     * @throws GenLabException if the name is malformed or names a device this machine lacks
     */
    public static Device resolve(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        int gpus = gpuCount();
        switch (s) {
            case "auto":
                return gpus > 0 ? Device.gpu(0) : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
            case "cuda":
                return gpu(0, gpus, spec);
            default:
                if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
                    String n = s.substring(s.indexOf(':') + 1);
                    try {
                        return gpu(Integer.parseInt(n), gpus, spec);
                    } catch (NumberFormatException e) {
                        throw bad(spec, "the part after 'gpu:' must be a GPU number");
                    }
                }
                throw bad(spec, "use auto, cpu, gpu or gpu:N");
        }
    }

    /**
     * Returns the devices DJL sees: the CPU and each GPU.
     *
     * @return the devices, the CPU first
     */
    public static List<Device> available() {
        List<Device> list = new ArrayList<>();
        list.add(Device.cpu());
        for (int i = 0; i < gpuCount(); i++) {
            list.add(Device.gpu(i));
        }
        return list;
    }

    /**
     * Describes a device for people: its name, and for a GPU its compute capability and memory.
     *
     * @param device the device
     * @return e.g. {@code gpu:0 (compute 8.9, 24564 MiB)} or {@code cpu (8 cores)}
     */
    public static String describe(Device device) {
        if (!device.isGpu()) {
            return "cpu (" + Runtime.getRuntime().availableProcessors() + " cores)";
        }
        String name = "gpu:" + device.getDeviceId() + gpuName(device.getDeviceId());
        try {
            String cc = CudaUtils.getComputeCapability(device.getDeviceId());
            MemoryUsage mem = CudaUtils.getGpuMemory(device);
            return String.format(
                    Locale.ROOT,
                    "%s (compute capability %s.%s, %d MiB total, %d MiB free)",
                    name,
                    cc.substring(0, cc.length() - 1),
                    cc.substring(cc.length() - 1),
                    mem.getMax() >> 20,
                    (mem.getMax() - mem.getUsed()) >> 20);
        } catch (RuntimeException | LinkageError e) {
            return name;
        }
    }

    /**
     * Returns the name of a device as the {@code --device} option spells it.
     *
     * @param device the device
     * @return {@code cpu} or {@code gpu:N}
     */
    public static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /** Asks nvidia-smi for the GPU's product name (DJL does not know it); empty if unavailable. */
    private static String gpuName(int id) {
        try {
            Process p =
                    new ProcessBuilder(
                                    "nvidia-smi",
                                    "--query-gpu=name",
                                    "--format=csv,noheader",
                                    "--id=" + id)
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? " " + out : "";
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }

    private static Device gpu(int id, int gpus, String spec) {
        if (id < 0 || id >= gpus) {
            throw bad(
                    spec,
                    gpus == 0
                            ? "DJL sees no GPU on this machine"
                            : "this machine has GPUs 0 to " + (gpus - 1));
        }
        return Device.gpu(id);
    }

    private static GenLabException bad(String spec, String why) {
        StringBuilder present = new StringBuilder();
        for (Device d : available()) {
            present.append(present.length() == 0 ? "" : ", ").append(name(d));
        }
        return new GenLabException(
                "--device "
                        + spec
                        + ": "
                        + why
                        + ". Devices present: "
                        + present
                        + ". Use --device auto to take the best one.");
    }
}
