package org.genlab.bench;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;

/**
 * What a benchmark run measured, in the JSON schema {@code genlab-bench/1} that the PyTorch
 * reference programs in {@code bench/reference/} write too (field names in snake_case), so that
 * {@code bench/reference/compare.py} can pair the rows by {@code id}.
 *
 * @param schema always {@code genlab-bench/1}
 * @param side {@code genlab} (the PyTorch reference writes {@code pytorch})
 * @param created when, ISO-8601 UTC
 * @param software name to version (GenLab, DJL, engine, libtorch build, Java)
 * @param device {@code cpu} or {@code gpu:N}
 * @param deviceDescription e.g. {@code cpu (2 cores)}
 * @param threads {@code intra_op} and {@code inter_op} thread counts of the engine
 * @param machine CPU model, cores, OS, the load average at the start and the end
 * @param settings warm-up, repeats and the other options of the run
 * @param rows one per measurement
 * @param peakRssMib the process's peak resident memory over the whole run
 * @param memoryStability the long memory runs, one per workload (empty when not run)
 */
public record BenchReport(
        String schema,
        String side,
        String created,
        Map<String, String> software,
        String device,
        String deviceDescription,
        Map<String, Integer> threads,
        Map<String, String> machine,
        Map<String, Object> settings,
        List<Row> rows,
        double peakRssMib,
        List<MemoryStability.Result> memoryStability) {

    /** The schema name. */
    public static final String SCHEMA = "genlab-bench/1";

    /**
     * One measurement.
     *
     * @param id the key rows are paired by, e.g. {@code train/dcgan/mnist/b64}
     * @param task {@code train} or {@code sample}
     * @param model {@code dcgan}, {@code ddpm-unet-cpu}, {@code gan}, {@code ddpm-1000}, {@code
     *     ddim-50}, {@code ddim-10}
     * @param data {@code mnist} or {@code cifar10} (random values of that shape)
     * @param shape C×H×W
     * @param batch B
     * @param unit what {@code median_ms} is per: {@code step} or {@code batch}
     * @param medianMs the median over repeats of the milliseconds per unit
     * @param minMs the fastest repeat
     * @param maxMs the slowest repeat
     * @param repeatsMs every repeat
     * @param runsPerRepeat units per timed repeat
     * @param cpuMedianMs the median over repeats of the process CPU milliseconds per unit (all
     *     threads; steadier than the wall time on a shared machine)
     * @param cpuRepeatsMs every repeat's CPU milliseconds per unit
     * @param imagesPerS B / median
     * @param peakRssMib the peak resident memory while this row ran (whole process)
     * @param gpuMemoryMib GPU memory in use after the row (device-wide), or −1 on the CPU
     * @param note how the row was measured, when it needs saying (e.g. extrapolation)
     * @param parameters the trainable parameters of the networks the row runs, by network (e.g.
     *     {@code generator}, {@code discriminator}, {@code unet}, {@code autoencoder}): scalars in
     *     parameters that require a gradient; the reference must report the same numbers
     */
    public record Row(
            String id,
            String task,
            String model,
            String data,
            String shape,
            int batch,
            String unit,
            double medianMs,
            double minMs,
            double maxMs,
            List<Double> repeatsMs,
            int runsPerRepeat,
            double cpuMedianMs,
            List<Double> cpuRepeatsMs,
            double imagesPerS,
            double peakRssMib,
            double gpuMemoryMib,
            String note,
            Map<String, Long> parameters) {}

    /**
     * Writes parameter counts as text.
     *
     * @param parameters network → scalars
     * @return e.g. {@code unet 701,345 + autoencoder 145,865}
     */
    public static String parameterText(Map<String, Long> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return "-";
        }
        StringBuilder s = new StringBuilder();
        parameters.forEach(
                (k, v) ->
                        s.append(s.length() == 0 ? "" : " + ")
                                .append(k)
                                .append(' ')
                                .append(String.format(Locale.ROOT, "%,d", v)));
        return s.toString();
    }

    private static Gson gson() {
        return new GsonBuilder()
                .setPrettyPrinting()
                .serializeNulls()
                .serializeSpecialFloatingPointValues()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .create();
    }

    /**
     * Returns the report as JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        return gson().toJson(this);
    }

    /**
     * Returns the report as a Markdown table with a header naming the device, versions and threads.
     *
     * @return Markdown
     */
    public String toMarkdown() {
        StringBuilder s = new StringBuilder();
        s.append("GenLab benchmark — device ")
                .append(deviceDescription)
                .append(", ")
                .append(threads.get("intra_op"))
                .append(" intra-op thread(s)");
        s.append("\n\n");
        software.forEach((k, v) -> s.append("- ").append(k).append(": ").append(v).append('\n'));
        s.append("- machine: ")
                .append(machine.get("cpu"))
                .append(", ")
                .append(machine.get("cores"))
                .append(" cores; load average at start ")
                .append(machine.get("loadavg_start"))
                .append(", at end ")
                .append(machine.get("loadavg_end"))
                .append('\n');
        s.append("- settings: ").append(settings).append("\n\n");
        s.append(
                "| row | batch | median ms | min–max ms | CPU ms | images/s | peak RSS MiB |"
                        + " parameters | note |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %.1f / %s | %.1f–%.1f | %.1f | %.1f | %.0f | %s | %s |%n",
                            r.id(),
                            r.batch(),
                            r.medianMs(),
                            r.unit(),
                            r.minMs(),
                            r.maxMs(),
                            r.cpuMedianMs(),
                            r.imagesPerS(),
                            r.peakRssMib(),
                            parameterText(r.parameters()),
                            r.note() == null ? "" : r.note()));
        }
        s.append(String.format(Locale.ROOT, "%nPeak resident memory: %.0f MiB%n", peakRssMib));
        for (MemoryStability.Result m : memoryStability) {
            s.append('\n').append(m.summary()).append('\n');
        }
        return s.toString();
    }

    /**
     * Writes {@code NAME.json} and {@code NAME.md} into a folder.
     *
     * @param folder the folder (created)
     * @param name the file stem, e.g. {@code genlab}
     * @return the JSON file
     */
    public Path write(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            Path json = folder.resolve(name + ".json");
            AtomicFiles.writeString(json, toJson());
            AtomicFiles.writeString(folder.resolve(name + ".md"), toMarkdown());
            return json;
        } catch (IOException e) {
            throw new GenLabException("Cannot write the benchmark results to " + folder, e);
        }
    }
}
