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
import org.genlab.core.train.RunFolder;
import org.genlab.datasets.DatasetRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code genlab demo}: the whole lecture in one command — fetch MNIST, train a DCGAN and a
 * diffusion model, compare them, and print where the report is. On a CPU the diffusion side is
 * latent flow matching (an autoencoder, then a flow-matching UNet on its 4×7×7 latents), the
 * variant that learns best in minutes on a laptop; on a GPU it is Ho et al.'s pixel-space DDPM.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The main job: fetch MNIST if needed, train a DCGAN and a diffusion model with a"
                    + " quick preset, then compare them (genlab compare) and print where the HTML"
                    + " report is.",
            "Presets: quick (default on the CPU, about 15 minutes on 2 cores; the diffusion side"
                    + " is latent flow matching: an autoencoder, then a flow-matching UNet on its"
                    + " latents), gpu (default when a GPU is used: a pixel-space DDPM, longer"
                    + " training in a similar time), tiny (a smoke test of a few minutes)."
        })
public final class DemoCommand implements Callable<Integer> {

    /** The diffusion side of a preset: latent flow matching or pixel-space DDPM. */
    enum Variant {
        LATENT_FLOW,
        PIXEL_DDPM
    }

    /** Steps and sizes of one preset (aeSteps and aeBatch are used by latent variants only). */
    record Preset(
            String name,
            int ganSteps,
            int ganWidth,
            int ganBatch,
            Variant variant,
            int aeSteps,
            int aeBatch,
            int diffusionSteps,
            String diffusionPreset,
            int diffusionBatch,
            int samples,
            int speedBatch,
            Integer limit) {}

    static final List<Preset> PRESETS =
            List.of(
                    new Preset(
                            "tiny",
                            60,
                            16,
                            32,
                            Variant.LATENT_FLOW,
                            40,
                            64,
                            30,
                            "latent",
                            32,
                            200,
                            2,
                            2048),
                    new Preset(
                            "quick",
                            1500,
                            32,
                            64,
                            Variant.LATENT_FLOW,
                            700,
                            128,
                            1200,
                            "latent",
                            128,
                            500,
                            16,
                            null),
                    new Preset(
                            "gpu",
                            6000,
                            64,
                            128,
                            Variant.PIXEL_DDPM,
                            0,
                            0,
                            20000,
                            "gpu",
                            128,
                            2000,
                            128,
                            null));

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

    @Option(
            names = "--overwrite",
            description = "Start over, replacing the demo runs already in --out.")
    boolean overwrite;

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
        boolean latent = p.variant() == Variant.LATENT_FLOW;
        if (resume && overwrite) {
            throw new GenLabException("Give --resume or --overwrite, not both.");
        }
        for (String name : List.of("dcgan", "autoencoder", "latent-flow", "ddpm")) {
            if (!resume && !overwrite && RunFolder.create(out.resolve(name)).holdsRun()) {
                throw new GenLabException(
                        out
                                + " already holds a demo (its "
                                + name
                                + " run). Add --resume to continue it, --overwrite to start over,"
                                + " or choose another --out folder.");
            }
        }
        int total = latent ? 5 : 4;
        int stage = 1;
        w.printf(Locale.ROOT, "%d/%d MNIST%n", stage++, total);
        w.flush();
        DatasetRegistry.fetch("mnist", null, System.out);

        Path gan = out.resolve("dcgan");
        w.printf(
                Locale.ROOT,
                "%d/%d DCGAN: %d steps, batch %d%n",
                stage++,
                total,
                p.ganSteps(),
                p.ganBatch());
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
        common(g, p, gan);
        sub(g);

        Path ae = out.resolve("autoencoder");
        if (latent) {
            w.printf(
                    Locale.ROOT,
                    "%d/%d autoencoder 28×28 → 4×7×7: %d steps, batch %d%n",
                    stage++,
                    total,
                    p.aeSteps(),
                    p.aeBatch());
            w.flush();
            List<String> a =
                    new ArrayList<>(
                            List.of(
                                    "train",
                                    "autoencoder",
                                    "--dataset",
                                    "mnist",
                                    "--steps",
                                    Integer.toString(p.aeSteps()),
                                    "--batch",
                                    Integer.toString(p.aeBatch()),
                                    "--sample-every",
                                    Integer.toString(Math.max(1, p.aeSteps() / 2)),
                                    "--checkpoint-every",
                                    Integer.toString(Math.max(1, p.aeSteps() / 2)),
                                    "--run",
                                    ae.toString()));
            common(a, p, ae);
            sub(a);
        }

        Path diffusion = out.resolve(latent ? "latent-flow" : "ddpm");
        w.printf(
                Locale.ROOT,
                "%d/%d %s: %d steps, batch %d, %s UNet%n",
                stage++,
                total,
                latent ? "latent flow matching" : "DDPM",
                p.diffusionSteps(),
                p.diffusionBatch(),
                p.diffusionPreset());
        w.flush();
        List<String> d =
                new ArrayList<>(
                        List.of(
                                "train",
                                "diffusion",
                                "--preset",
                                p.diffusionPreset(),
                                "--steps",
                                Integer.toString(p.diffusionSteps()),
                                "--batch",
                                Integer.toString(p.diffusionBatch()),
                                "--sample-every",
                                Integer.toString(Math.max(1, p.diffusionSteps() / 5)),
                                "--checkpoint-every",
                                Integer.toString(Math.max(1, p.diffusionSteps() / 5)),
                                "--run",
                                diffusion.toString()));
        if (latent) {
            d.addAll(List.of("--objective", "flow", "--latent", ae.toString()));
        } else {
            d.addAll(List.of("--dataset", "mnist"));
        }
        common(d, p, diffusion);
        sub(d);

        w.printf(Locale.ROOT, "%d/%d compare%n", stage, total);
        w.flush();
        sub(
                List.of(
                        "compare",
                        "--runs",
                        gan.toString(),
                        diffusion.toString(),
                        "--out",
                        out.resolve("report").toString(),
                        "--n",
                        Integer.toString(p.samples()),
                        "--speed-batch",
                        Integer.toString(p.speedBatch()),
                        "--note",
                        note(p)));
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

    /** The report's line on which diffusion variant the demo trained, and why. */
    static String note(Preset p) {
        if (p.variant() == Variant.LATENT_FLOW) {
            return "Diffusion side: latent flow matching (Rombach et al. 2022; Lipman et al. 2023)"
                    + " — an autoencoder squeezes each digit to 4×7×7 and a UNet learns the"
                    + " velocity of straight noise-to-latent paths, sampled with 50 Euler steps;"
                    + " on a CPU it learns in minutes what pixel-space DDPM needs hours for (the"
                    + " gpu preset trains the pixel DDPM of Ho et al. 2020).";
        }
        return "Diffusion side: pixel-space DDPM (Ho et al. 2020), a UNet on the 28×28 pixels,"
                + " sampled with DDIM-50 — the original recipe, affordable on a GPU.";
    }

    private void common(List<String> args, Preset p, Path run) {
        if (p.limit() != null) {
            args.add("--limit");
            args.add(p.limit().toString());
        }
        RunFolder folder = RunFolder.create(run);
        if (resume && folder.hasCheckpoint()) {
            args.add("--resume"); // a stage the earlier demo reached
        } else if (folder.holdsRun()) {
            args.add("--overwrite"); // --overwrite, or a stage that never saved a checkpoint
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
