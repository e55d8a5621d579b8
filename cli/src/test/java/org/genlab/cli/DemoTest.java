package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The main job end to end with the tiny preset: MNIST, a DCGAN, an autoencoder and a latent
 * flow-matching model, the comparison; then the report opened in a real headless Chromium.
 */
class DemoTest {

    @TempDir Path dir;

    @Test
    void tinyDemoWritesAReportThatOpensInChromium() throws Exception {
        Path out = dir.resolve("demo");
        CommandLine cl = GenLabCommand.newCommandLine();
        StringWriter text = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(text, true));
        cl.setErr(new PrintWriter(err, true));
        int status =
                cl.execute("demo", "--preset", "tiny", "--out", out.toString(), "--no-progress");
        assertThat(status).as(err.toString()).isZero();
        assertThat(text.toString())
                .contains(
                        "1/5 MNIST",
                        "2/5 DCGAN",
                        "3/5 autoencoder",
                        "4/5 latent flow matching",
                        "5/5 compare",
                        "Demo done");

        Path report = out.resolve("report");
        JsonObject json =
                JsonParser.parseString(Files.readString(report.resolve("report.json")))
                        .getAsJsonObject();
        assertThat(json.get("dataset").getAsString()).isEqualTo("mnist");
        assertThat(json.get("samples").getAsInt()).isEqualTo(200);
        JsonArray models = json.getAsJsonArray("models");
        assertThat(models).hasSize(2);
        assertThat(models.get(0).getAsJsonObject().get("family").getAsString()).isEqualTo("GAN");
        assertThat(models.get(1).getAsJsonObject().get("family").getAsString())
                .isEqualTo("Latent flow matching");
        JsonArray speeds = models.get(1).getAsJsonObject().getAsJsonArray("speeds");
        assertThat(speeds.toString()).contains("Euler-50", "Euler-10", "Heun-10");
        double floor = json.getAsJsonObject("floor").get("frechet").getAsDouble();
        double gan =
                models.get(0)
                        .getAsJsonObject()
                        .getAsJsonObject("quality")
                        .get("frechet")
                        .getAsDouble();
        assertThat(floor).isPositive().isLessThan(gan);

        Path page = report.resolve("index.html");
        String html = Files.readString(page);
        assertThat(html)
                .contains(
                        "GAN vs diffusion on mnist",
                        "Real (test split)",
                        "Sampling speed",
                        "Diffusion side: latent flow matching");
        assertChromiumLoads(page);
    }

    /** Opens the page in headless Chromium: no console error, no broken image. */
    private static void assertChromiumLoads(Path page) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(chromium)) {
            // CI installs Debian's chromium in .ci/run; elsewhere this part needs it installed
            assertThat(ci).as("chromium must be installed in CI (.ci/run installs it)").isFalse();
            assumeTrue(false, "Debian's chromium is not installed: apt-get install chromium");
        }
        Path profile = Files.createTempDirectory("genlab-chromium");
        Process p =
                new ProcessBuilder(
                                chromium.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + profile,
                                "--enable-logging=stderr",
                                "--v=0",
                                "--virtual-time-budget=5000",
                                "--dump-dom",
                                page.toUri().toString())
                        .start();
        byte[] dom = p.getInputStream().readAllBytes();
        String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String d = new String(dom, StandardCharsets.UTF_8);
        assertThat(d).as("DOM dumped by chromium").contains("data-images-broken=\"0\"");
        assertThat(d).contains("<img");
        for (String line : log.split("\n")) {
            if (line.contains("CONSOLE")) {
                assertThat(line).as("console message").doesNotContainIgnoringCase("error");
            }
        }
    }
}
