package org.genlab.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.runtime.Devices;
import org.genlab.datasets.DatasetRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code genlab demo}: the whole lecture in one command — fetch MNIST, train a DCGAN and a DDPM,
 * compare them, and print where the report is.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The main job: fetch MNIST if needed, train a DCGAN and a DDPM with a quick"
                    + " preset, then compare them (genlab compare) and print where the HTML report is.",
            "Presets: quick (default on the CPU, about 15 minutes on 2 cores), gpu (default"
                    + " when a GPU is used: longer training in a similar time), tiny (a smoke test of"
                    + " a few minutes)."
        })
public final class DemoCommand implements Callable<Integer> {

    /** Steps and sizes of one preset. */
    record Preset(
            String name,
            int ganSteps,
            int ganWidth,
            int ganBatch,
            int ddpmSteps,
            String ddpmPreset,
            int ddpmBatch,
            int samples,
            int speedBatch,
            Integer limit) {}

    static final List<Preset> PRESETS =
            List.of(
                    new Preset("tiny", 60, 16, 32, 30, "cpu", 16, 200, 2, 2048),
                    new Preset("quick", 1500, 32, 64, 1000, "cpu", 32, 500, 16, null),
                    new Preset("gpu", 6000, 64, 128, 20000, "gpu", 128, 2000, 128, null));

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--preset",
            description = "tiny, quick or gpu (default: gpu on a GPU, quick on the CPU).")
    String preset;

    @Option(
            names = "--out",
            defaultValue = "runs/demo",
            description = "Folder for the two runs and the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue earlier demo runs in --out.")
    boolean resume;

    @Option(names = "--no-progress", description = "Hide the progress bars.")
    boolean noProgress;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Device device = GlobalOptions.device();
        Preset p = choose(device);
        long t0 = System.nanoTime();
        w.printf(
                Locale.ROOT,
                "GenLab demo, preset '%s', on %s. Everything goes to %s%n",
                p.name(),
                Devices.describe(device),
                out.toAbsolutePath());
        w.println("1/4 MNIST");
        w.flush();
        DatasetRegistry.fetch("mnist", null, System.out);

        Path gan = out.resolve("dcgan");
        w.printf(Locale.ROOT, "2/4 DCGAN: %d steps, batch %d%n", p.ganSteps(), p.ganBatch());
        w.flush();
        List<String> g =
                new ArrayList<>(
                        List.of(
                                "train",
                                "gan",
                                "--dataset",
                                "mnist",
                                "--model",
                                "dcgan",
                                "--steps",
                                Integer.toString(p.ganSteps()),
                                "--batch",
                                Integer.toString(p.ganBatch()),
                                "--width",
                                Integer.toString(p.ganWidth()),
                                "--sample-every",
                                Integer.toString(Math.max(1, p.ganSteps() / 5)),
                                "--checkpoint-every",
                                Integer.toString(Math.max(1, p.ganSteps() / 5)),
                                "--run",
                                gan.toString()));
        common(g, p);
        sub(g);

        Path ddpm = out.resolve("ddpm");
        w.printf(
                Locale.ROOT,
                "3/4 DDPM: %d steps, batch %d, %s UNet%n",
                p.ddpmSteps(),
                p.ddpmBatch(),
                p.ddpmPreset());
        w.flush();
        List<String> d =
                new ArrayList<>(
                        List.of(
                                "train",
                                "diffusion",
                                "--dataset",
                                "mnist",
                                "--preset",
                                p.ddpmPreset(),
                                "--steps",
                                Integer.toString(p.ddpmSteps()),
                                "--batch",
                                Integer.toString(p.ddpmBatch()),
                                "--sample-every",
                                Integer.toString(Math.max(1, p.ddpmSteps() / 5)),
                                "--checkpoint-every",
                                Integer.toString(Math.max(1, p.ddpmSteps() / 5)),
                                "--run",
                                ddpm.toString()));
        common(d, p);
        sub(d);

        w.println("4/4 compare");
        w.flush();
        sub(
                List.of(
                        "compare",
                        "--runs",
                        gan.toString(),
                        ddpm.toString(),
                        "--out",
                        out.resolve("report").toString(),
                        "--n",
                        Integer.toString(p.samples()),
                        "--speed-batch",
                        Integer.toString(p.speedBatch())));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        w.printf(
                Locale.ROOT,
                "Demo done in %d min %02d s. Open %s in a browser.%n",
                took.toMinutes(),
                took.toSecondsPart(),
                out.resolve("report").resolve("index.html").toAbsolutePath());
        w.flush();
        return 0;
    }

    private void common(List<String> args, Preset p) {
        if (p.limit() != null) {
            args.add("--limit");
            args.add(p.limit().toString());
        }
        if (resume) {
            args.add("--resume");
        }
        if (noProgress) {
            args.add("--no-progress");
        }
    }

    private Preset choose(Device device) {
        String name = preset != null ? preset : (device.isGpu() ? "gpu" : "quick");
        for (Preset p : PRESETS) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new GenLabException("Unknown --preset '" + name + "'. Choose tiny, quick or gpu.");
    }

    /** Runs a genlab subcommand in this JVM, with the same device, seed and streams. */
    private void sub(List<String> args) {
        List<String> all = new ArrayList<>(List.of("--device", GlobalOptions.deviceSpec()));
        if (GlobalOptions.seedGiven()) {
            all.add("--seed");
            all.add(Long.toString(GlobalOptions.seed()));
        }
        all.addAll(args);
        CommandLine cl = GenLabCommand.newCommandLine();
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        int status = cl.execute(all.toArray(new String[0]));
        if (status != 0) {
            throw new GenLabException(
                    "The demo stopped: 'genlab "
                            + String.join(" ", args)
                            + "' failed (status "
                            + status
                            + "). Fix what it said, then run the demo again with --resume.");
        }
    }
}
