package org.genlab.eval.compare;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.genlab.core.GenLabException;
import org.genlab.core.chart.Charts;
import org.genlab.core.checkpoint.AtomicFiles;

/**
 * Writes a comparison as one self-contained HTML page ({@code index.html}, every picture embedded,
 * so it opens from the disk in any browser and can be mailed as one file), with the PNGs beside it,
 * and the same numbers as {@code report.json} for scripts and notebooks.
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * Writes the report.
     *
     * @param result what was measured
     * @param folder the report folder (pictures already written there by {@link Comparison})
     * @return the HTML page
     */
    public static Path write(ComparisonResult result, Path folder) {
        return write(result, folder, null);
    }

    /**
     * Writes the report with a line of explanation under its title (the demo says there which
     * diffusion variant it trained, and why).
     *
     * @param result what was measured
     * @param folder the report folder
     * @param note one line of plain text, or {@code null}
     * @return the HTML page
     */
    public static Path write(ComparisonResult result, Path folder, String note) {
        try {
            Charts.writePng(
                    Charts.bars(Comparison.speeds(result), "Sampling speed", "images/s", true),
                    folder.resolve("speed.png"),
                    800,
                    120 + 45 * Comparison.speeds(result).size());
            AtomicFiles.writeString(
                    folder.resolve("report.json"),
                    new GsonBuilder()
                            .setPrettyPrinting()
                            .serializeSpecialFloatingPointValues()
                            .create()
                            .toJson(result));
            Path page = folder.resolve("index.html");
            AtomicFiles.writeString(page, html(result, folder, note));
            return page;
        } catch (IOException e) {
            throw new GenLabException("Cannot write the report in " + folder, e);
        }
    }

    private static String html(ComparisonResult r, Path folder, String note) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>GenLab: GAN vs diffusion on ")
                .append(esc(r.dataset()))
                .append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;")
                .append("color:#222;padding:0 1em}table{border-collapse:collapse;margin:1em 0}")
                .append("th,td{border:1px solid #ccc;padding:.35em .6em;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}")
                .append(".row{display:flex;flex-wrap:wrap;gap:1.5em}.row figure{margin:0}")
                .append("figcaption{font-size:.9em;color:#555}img{max-width:100%}")
                .append(".note{color:#555;font-size:.9em}.floor{background:#f7fbff}")
                .append("</style></head><body>\n");
        h.append("<h1>GAN vs diffusion on ").append(esc(r.dataset())).append("</h1>\n");
        if (note != null && !note.isBlank()) {
            h.append("<p>").append(esc(note)).append("</p>\n");
        }
        h.append("<p class=\"note\">GenLab ")
                .append(esc(r.genlab()))
                .append(" · device: ")
                .append(esc(r.device()))
                .append(" · ")
                .append(r.samples())
                .append(" samples per model, compared with the ")
                .append(esc(r.referenceSplit()))
                .append(" · features: ")
                .append(esc(r.classifier().name()))
                .append(
                        String.format(
                                Locale.ROOT,
                                ", test accuracy %.2f %%",
                                100 * r.classifier().testAccuracy()))
                .append("</p>\n");

        h.append(
                        "<h2>Measurements</h2>\n<table><tr><th class=\"l\">model</th><th class=\"l\">run</th>")
                .append("<th>training steps</th><th class=\"l\">sampler</th><th>n</th><th>")
                .append(esc(r.classifier().distance()))
                .append(" ↓</th><th>precision ↑</th><th>recall ↑</th><th>class coverage ↑</th>")
                .append("<th>confidence</th><th>distance to nearest training image</th>")
                .append("<th>images/s ↑</th></tr>\n");
        for (ComparisonResult.Model m : r.models()) {
            SampleMetrics q = m.quality();
            h.append("<tr><td class=\"l\">")
                    .append(esc(m.family()))
                    .append("</td><td class=\"l\">")
                    .append(esc(m.run()))
                    .append("</td><td>")
                    .append(m.steps())
                    .append("</td>");
            metricCells(h, q);
            h.append("<td>").append(speedsText(m.speeds())).append("</td></tr>\n");
        }
        h.append(
                "<tr class=\"floor\"><td class=\"l\">real data</td><td class=\"l\">floor</td><td>–</td>");
        metricCells(h, r.floor());
        h.append("<td>–</td></tr>\n</table>\n");
        h.append("<p class=\"note\">The floor row measures real test images exactly as the samples")
                .append(" are measured: no model can beat it with this many samples. Lower")
                .append(" distance and higher precision, recall and coverage are better. Precision")
                .append(" and recall follow Kynkäänniemi et al. 2019 (k = 3); coverage counts the")
                .append(
                        " classes the classifier finds in at least a quarter of their fair share of")
                .append(" samples.</p>\n");

        h.append("<h2>Samples</h2>\n<div class=\"row\">");
        for (ComparisonResult.Model m : r.models()) {
            figure(
                    h,
                    folder,
                    m.gridPng(),
                    m.family() + " · " + m.run() + " · " + m.quality().label());
        }
        boolean anyControl = false;
        for (ComparisonResult.Model m : r.models()) {
            anyControl |= m.control() != null;
        }
        if (anyControl) {
            h.append("</div>\n<h2>Asking for a class</h2>\n")
                    .append("<p class=\"note\">Each row asks a class-conditional model for one")
                    .append(" class; the percentage is how often the classifier sees the")
                    .append(" requested class in that row's samples.</p>\n<div class=\"row\">");
            for (ComparisonResult.Model m : r.models()) {
                ComparisonResult.Control c = m.control();
                if (c != null) {
                    figure(
                            h,
                            folder,
                            c.gridPng(),
                            fmt(
                                    "%s · %s · %s: requested class %.1f %% of %d samples",
                                    m.family(), m.run(), c.sampler(), 100 * c.accuracy(), c.n()));
                }
            }
        }
        boolean anyPrompts = false;
        for (ComparisonResult.Model m : r.models()) {
            anyPrompts |= m.prompts() != null;
        }
        if (anyPrompts) {
            h.append("</div>\n<h2>Asking with words</h2>\n")
                    .append("<p class=\"note\">A text-conditional model draws one image per")
                    .append(" prompt (classifier-free guidance). The classifier checks the class;")
                    .append(" the measurement that wrote the training captions checks each")
                    .append(" requested attribute (thickness, slant, size; brightness, size).")
                    .append(" Held-out compositions never appeared together in a training")
                    .append(" caption.</p>\n<div class=\"row\">");
            for (ComparisonResult.Model m : r.models()) {
                ComparisonResult.Prompts p = m.prompts();
                if (p != null) {
                    figure(
                            h,
                            folder,
                            p.gridPng(),
                            fmt(
                                    "%s · %s · w = %.0f: class %.1f %%, attributes %.1f %% (%d"
                                            + " prompts); held-out compositions: attributes"
                                            + " %.1f %%, class %.1f %% (%d prompts)",
                                    m.family(),
                                    m.run(),
                                    p.guidance(),
                                    100 * p.classAccuracy(),
                                    100 * p.attributeAccuracy(),
                                    p.n(),
                                    100 * p.heldOutAttributeAccuracy(),
                                    100 * p.heldOutClassAccuracy(),
                                    p.heldOutN()));
                }
            }
        }
        h.append("</div>\n<h2>Sampling speed</h2>\n<div class=\"row\">");
        figure(h, folder, "speed.png", "images per second on " + r.device() + " (log scale)");
        h.append("</div>\n<h2>Training losses</h2>\n<div class=\"row\">");
        for (ComparisonResult.Model m : r.models()) {
            if (m.lossPng() != null) {
                figure(h, folder, m.lossPng(), m.family() + " · " + m.run());
            }
        }
        h.append("</div>\n<h2>Is the model copying its data?</h2>\n")
                .append("<p class=\"note\">Each row: a sample, then the five training images")
                .append(" nearest to it in feature space. Near-copies would show here.</p>")
                .append("<div class=\"row\">");
        for (ComparisonResult.Model m : r.models()) {
            figure(h, folder, m.neighboursPng(), m.family() + " · " + m.run());
        }
        h.append("</div>\n");
        prosAndCons(h, r);
        h.append("<script>window.addEventListener('load',()=>{const bad=[...document.images]")
                .append(".filter(i=>!(i.complete&&i.naturalWidth>0)).length;")
                .append("document.body.setAttribute('data-images-broken',String(bad));});</script>")
                .append("</body></html>\n");
        return h.toString();
    }

    /** The families the verdict table compares, in its column order. */
    private static final List<String> FAMILIES = List.of("GAN", "Diffusion", "Autoregressive");

    private static void prosAndCons(StringBuilder h, ComparisonResult r) {
        h.append("<h2>The lecture's verdict, measured</h2>\n<table><tr><th class=\"l\">claim</th>")
                .append("<th class=\"l\">GAN</th><th class=\"l\">diffusion</th>")
                .append("<th class=\"l\">autoregressive</th></tr>\n");
        verdict(
                h,
                r,
                "Diffusion: higher quality",
                m -> fmt("%s %.2f", r.classifier().distance(), m.quality().frechet()));
        verdict(
                h,
                r,
                "GANs: less diverse (mode collapse)",
                m ->
                        fmt(
                                "recall %.3f, coverage %.0f %%",
                                m.quality().recall(), 100 * m.quality().coverage()));
        verdict(
                h,
                r,
                "GANs: fast to sample; diffusion: slow (DDIM narrows the gap); autoregressive:"
                        + " one network pass per token",
                m -> speedsText(m.speeds()));
        verdict(h, r, "Realistic samples", m -> fmt("precision %.3f", m.quality().precision()));
        verdict(h, r, "Controllable (ask for a class)", HtmlReport::controlText);
        verdict(
                h,
                r,
                "Asking with words (digit, attributes)",
                m ->
                        m.prompts() == null
                                ? "not a text model"
                                : fmt(
                                        "%.1f %%, %.1f %%",
                                        100 * m.prompts().classAccuracy(),
                                        100 * m.prompts().attributeAccuracy()));
        verdict(
                h,
                r,
                "Autoregressive: a likelihood you can read (bits per image token);"
                        + " tokens are written in a fixed order, no going back",
                m ->
                        m.bitsPerToken() > 0
                                ? fmt("%.2f bits/token (training loss)", m.bitsPerToken())
                                : "no likelihood");
        verdict(h, r, "Training effort", m -> m.steps() + " steps");
        h.append("</table>\n");
        h.append("<p class=\"note\">Floor (real test images): ")
                .append(
                        fmt(
                                "%s %.2f, precision %.3f, recall %.3f.",
                                r.classifier().distance(),
                                r.floor().frechet(),
                                r.floor().precision(),
                                r.floor().recall()))
                .append(" Short CPU runs are far from what these models reach with hours on a GPU;")
                .append(
                        " compare the models with each other and with the floor, not with papers.</p>\n");
    }

    /** One row of the verdict table: a claim, then each family's measured value (– if absent). */
    private static void verdict(
            StringBuilder h,
            ComparisonResult r,
            String claim,
            java.util.function.Function<ComparisonResult.Model, String> value) {
        h.append("<tr><td class=\"l\">").append(esc(claim)).append("</td>");
        for (String family : FAMILIES) {
            ComparisonResult.Model m = firstOfColumn(r, family);
            h.append("<td class=\"l\">").append(m == null ? "–" : value.apply(m)).append("</td>");
        }
        h.append("</tr>\n");
    }

    private static String controlText(ComparisonResult.Model m) {
        if (m == null) {
            return "–";
        }
        if (m.control() == null) {
            return m.prompts() != null ? "asked with words (next row)" : "unconditional run";
        }
        return fmt(
                "requested class drawn %.1f %% of the time (%s)",
                100 * m.control().accuracy(), esc(m.control().sampler()));
    }

    /**
     * The first model of a verdict column: GAN, any diffusion or flow-matching run (pixel or
     * latent), or autoregressive.
     */
    private static ComparisonResult.Model firstOfColumn(ComparisonResult r, String column) {
        for (ComparisonResult.Model m : r.models()) {
            String f = m.family();
            boolean diffusion = f.contains("iffusion") || f.contains("low matching");
            if (column.equals("Diffusion") ? diffusion : f.equals(column)) {
                return m;
            }
        }
        return null;
    }

    private static void metricCells(StringBuilder h, SampleMetrics q) {
        h.append("<td class=\"l\">")
                .append(esc(q.label()))
                .append("</td><td>")
                .append(q.n())
                .append("</td>")
                .append(
                        fmt(
                                "<td>%.2f</td><td>%.3f</td><td>%.3f</td><td>%.0f %%</td><td>%.3f</td><td>%.2f</td>",
                                q.frechet(),
                                q.precision(),
                                q.recall(),
                                100 * q.coverage(),
                                q.confidence(),
                                q.nearestTrainDistance()));
    }

    private static String speedsText(List<ComparisonResult.Speed> speeds) {
        StringBuilder sb = new StringBuilder();
        for (ComparisonResult.Speed s : speeds) {
            sb.append(sb.length() == 0 ? "" : "<br>")
                    .append(esc(s.sampler()))
                    .append(fmt(": %.1f", s.imagesPerSecond()));
        }
        return sb.toString();
    }

    private static void figure(StringBuilder h, Path folder, String png, String caption)
            throws IOException {
        byte[] bytes = Files.readAllBytes(folder.resolve(png));
        h.append("<figure><img alt=\"")
                .append(esc(caption))
                .append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(bytes))
                .append("\"><figcaption>")
                .append(esc(caption))
                .append(" (<a href=\"")
                .append(esc(png))
                .append("\">")
                .append(esc(png))
                .append("</a>)</figcaption></figure>");
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
