package org.genlab.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;

/**
 * What a benchmark run measures and how.
 *
 * @param rows row-id prefixes to run (empty: all), e.g. {@code train/dcgan}, {@code sample}
 * @param data image sizes: {@code mnist}, {@code cifar10}
 * @param batches training batch sizes
 * @param sampleBatch the batch of the sampling rows
 * @param warmup untimed runs before each row
 * @param repeats timed repeats per row (the median is reported)
 * @param minRepeatSeconds the least duration of a repeat (more runs per repeat when fast)
 * @param ddpmSteps DDPM steps actually timed; the time is scaled to T = 1000 when fewer
 * @param ganWidth the DCGAN base width
 * @param unetPreset the UNet preset ({@code cpu} or {@code gpu})
 * @param memorySteps steps of the long memory run per workload (0: none)
 * @param memoryWorkloads {@code gan}, {@code ddpm}
 * @param memoryHeap the pinned heap of the memory run's JVM
 * @param memoryLimitPercent the allowed resident-memory growth after warm-up
 * @param out the folder for {@code genlab.json} and {@code genlab.md}
 * @param quick whether the quick preset filled the unset values
 * @param seed the seed of weights and inputs
 */
public record BenchSettings(
        List<String> rows,
        List<String> data,
        List<Integer> batches,
        int sampleBatch,
        int warmup,
        int repeats,
        double minRepeatSeconds,
        int ddpmSteps,
        int ganWidth,
        String unetPreset,
        long memorySteps,
        List<String> memoryWorkloads,
        String memoryHeap,
        double memoryLimitPercent,
        Path out,
        boolean quick,
        long seed) {

    /** T of the diffusion schedule whose sampling speed is reported. */
    public static final int DIFFUSION_STEPS = 1000;

    /** Checks the values. */
    public BenchSettings {
        if (warmup < 1 || repeats < 1 || sampleBatch < 1 || ganWidth < 1) {
            throw new GenLabException(
                    "--warmup, --repeats, --sample-batch and --gan-width must be at least 1.");
        }
        if (ddpmSteps < 1 || ddpmSteps > DIFFUSION_STEPS) {
            throw new GenLabException("--ddpm-steps must be between 1 and 1000.");
        }
        for (int b : batches) {
            if (b < 1) {
                throw new GenLabException("Batch sizes must be at least 1, got " + b + ".");
            }
        }
    }

    /**
     * Tells whether a row is selected.
     *
     * @param id the row id
     * @return true if no filter is set or the id starts with one of the prefixes
     */
    public boolean selects(String id) {
        if (rows.isEmpty()) {
            return true;
        }
        for (String p : rows) {
            if (id.startsWith(p) || p.equals("all")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the settings as written into the report.
     *
     * @return name to value (snake_case, as in the reference's JSON)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("data", data);
        m.put("batches", batches);
        m.put("sample_batch", sampleBatch);
        m.put("warmup", warmup);
        m.put("repeats", repeats);
        m.put("min_repeat_seconds", minRepeatSeconds);
        m.put("ddpm_timed_steps", ddpmSteps);
        m.put("gan_width", ganWidth);
        m.put("unet_preset", unetPreset);
        m.put("quick", quick);
        m.put("seed", seed);
        return m;
    }
}
