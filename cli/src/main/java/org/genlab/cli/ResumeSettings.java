package org.genlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.RunFolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What {@code --run}, {@code --resume} and {@code --overwrite} mean for the train commands, checked
 * before a command loads any data: a folder that holds a run is continued or replaced only when
 * asked, and a resumed run keeps the settings it was trained with. Flags left out take the run's
 * recorded values; a flag that would make it a different run (its seed, data, architecture, loss,
 * schedule, T) is refused, naming the flag and both values; a flag that may change (steps, batch,
 * learning rate, cadences) is taken, with a note.
 */
final class ResumeSettings {

    /**
     * One flag and the recorded setting it maps to.
     *
     * @param flag the option, e.g. {@code --width}
     * @param fixed true when changing it would make a different run
     * @param recorded the flag's value from the run's recorded settings, or null when not recorded
     */
    record Setting(String flag, boolean fixed, Function<Map<String, String>, String> recorded) {}

    private static Setting fixed(String flag, String key) {
        return new Setting(flag, true, c -> c.get(key));
    }

    private static Setting free(String flag, String key) {
        return new Setting(flag, false, c -> c.get(key));
    }

    private static boolean flow(Map<String, String> c) {
        return "flow".equals(c.get("prediction"));
    }

    /** An unCLIP decoder run: its {@code clipRun} is the --clip-image run. */
    private static boolean unclip(Map<String, String> c) {
        return "unclip".equals(c.get("text"));
    }

    private static final Setting STEPS = free("--steps", "steps");

    static final Map<String, List<Setting>> BY_COMMAND =
            Map.of(
                    "train gan",
                    List.of(
                            fixed("--dataset", "dataset"),
                            fixed("--model", "gan.model"),
                            fixed("--loss", "loss"),
                            fixed("--conditional", "conditional"),
                            fixed("--width", "gan.width"),
                            fixed("--latent", "gan.latentDim"),
                            fixed("--spectral-norm", "gan.spectralNorm"),
                            fixed("--d-batch-norm", "gan.batchNormD"),
                            fixed("--n-critic", "nCritic"),
                            fixed("--limit", "limit"),
                            free("--batch", "batch"),
                            free("--lr", "lr"),
                            free("--ema", "ema"),
                            STEPS),
                    "train diffusion",
                    List.of(
                            fixed("--dataset", "dataset"),
                            new Setting("--objective", true, c -> flow(c) ? "flow" : "ddpm"),
                            new Setting(
                                    "--schedule", true, c -> flow(c) ? null : c.get("schedule")),
                            new Setting(
                                    "--timesteps", true, c -> flow(c) ? null : c.get("timesteps")),
                            new Setting(
                                    "--prediction",
                                    true,
                                    c -> flow(c) ? null : c.get("prediction")),
                            new Setting(
                                    "--flow-time", true, c -> flow(c) ? c.get("flowTime") : null),
                            new Setting(
                                    "--conditional",
                                    true,
                                    c ->
                                            c.containsKey("classes")
                                                    ? Boolean.toString(
                                                            !"0".equals(c.get("classes")))
                                                    : null),
                            fixed("--preset", "preset"),
                            fixed("--latent", "latent"),
                            new Setting(
                                    "--text",
                                    true,
                                    c ->
                                            c.containsKey("classes")
                                                    ? Boolean.toString(
                                                            c.containsKey("text") && !unclip(c))
                                                    : null),
                            new Setting("--clip", true, c -> unclip(c) ? null : c.get("clipRun")),
                            new Setting(
                                    "--clip-image", true, c -> unclip(c) ? c.get("clipRun") : null),
                            fixed("--limit", "limit"),
                            free("--batch", "batch"),
                            free("--lr", "lr"),
                            free("--ema-decay", "emaDecay"),
                            free("--label-dropout", "labelDropout"),
                            STEPS),
                    "train clip",
                    List.of(
                            fixed("--dataset", "dataset"),
                            fixed("--embed-dim", "clip.embedDim"),
                            fixed("--text-dim", "clip.textDim"),
                            fixed("--text-layers", "clip.textLayers"),
                            fixed("--limit", "limit"),
                            free("--batch", "batch"),
                            free("--lr", "lr"),
                            STEPS),
                    "train autoregressive",
                    List.of(
                            fixed("--autoencoder", "autoencoderRun"),
                            fixed("--dataset", "dataset"),
                            new Setting(
                                    "--conditional",
                                    true,
                                    c ->
                                            c.containsKey("conditioning")
                                                    ? Boolean.toString(
                                                            "class".equals(c.get("conditioning")))
                                                    : null),
                            new Setting(
                                    "--text",
                                    true,
                                    c ->
                                            c.containsKey("conditioning")
                                                    ? Boolean.toString(
                                                            "text".equals(c.get("conditioning")))
                                                    : null),
                            fixed("--dim", "transformer.dim"),
                            fixed("--layers", "transformer.layers"),
                            fixed("--heads", "transformer.heads"),
                            fixed("--limit", "limit"),
                            free("--batch", "batch"),
                            free("--lr", "lr"),
                            free("--label-dropout", "pUncond"),
                            STEPS),
                    "train prior",
                    List.of(
                            fixed("--clip", "clipRun"),
                            fixed("--kind", "prior.kind"),
                            fixed("--width", "prior.width"),
                            fixed("--depth", "prior.depth"),
                            fixed("--timesteps", "prior.timesteps"),
                            fixed("--caption-dropout", "prior.captionDropout"),
                            fixed("--limit", "limit"),
                            free("--batch", "batch"),
                            free("--lr", "lr"),
                            free("--ema-decay", "emaDecay"),
                            free("--guidance", "prior.guidance"),
                            free("--candidates", "prior.candidates"),
                            STEPS),
                    "train autoencoder",
                    List.of(
                            fixed("--dataset", "dataset"),
                            fixed("--latent-channels", "autoencoder.latentChannels"),
                            fixed("--width", "autoencoder.width"),
                            fixed("--bottleneck", "autoencoder.bottleneck"),
                            fixed("--codebook", "autoencoder.codebookSize"),
                            fixed("--kl-weight", "autoencoder.klWeight"),
                            fixed("--loss", "autoencoder.reconstructionLoss"),
                            fixed("--limit", "limit"),
                            free("--batch", "batch"),
                            free("--lr", "lr"),
                            free("--ema-decay", "emaDecay"),
                            free("--gradient-clip", "gradientClip"),
                            STEPS));

    private ResumeSettings() {}

    /**
     * Checks the run folder and, on {@code --resume}, fills in and checks the flags from the run's
     * recorded settings. Does nothing for commands that do not train.
     *
     * @param parse the parsed command (the leaf subcommand)
     */
    static void apply(ParseResult parse) {
        CommandSpec spec = parse.commandSpec();
        List<Setting> settings = BY_COMMAND.get(Checks.path(spec));
        OptionSpec runOpt = spec.findOption("--run");
        if (settings == null || runOpt == null || runOpt.getValue() == null) {
            return; // no --run given: the command checks its default folder itself
        }
        Path run = runOpt.getValue();
        boolean resume = flag(spec, "--resume");
        RunFolder.checkTrainable(run, resume, flag(spec, "--overwrite"));
        if (!resume) {
            return;
        }
        Checkpoint cp = Checkpoint.inspect(run.resolve(Checkpoint.FILE_NAME));
        Map<String, String> rec = cp.getConfig();
        if (GlobalOptions.seedGiven() && GlobalOptions.seed() != cp.getSeed()) {
            throw refuse(run, "--seed", Long.toString(cp.getSeed()), GlobalOptions.seed());
        }
        GlobalOptions.useRunSeed(cp.getSeed());
        PrintWriter out = spec.commandLine().getOut();
        for (Setting s : settings) {
            OptionSpec o = spec.findOption(s.flag());
            String was = s.recorded().apply(rec);
            if (o == null || was == null || was.isEmpty()) {
                continue;
            }
            if (s == STEPS && parse.hasMatchedOption("--epochs")) {
                continue;
            }
            if (!parse.hasMatchedOption(o)) {
                o.setValue(convert(o.type(), was, s.flag()));
                continue;
            }
            Object given = o.getValue();
            if (same(given, was)) {
                continue;
            }
            if (s.fixed()) {
                throw refuse(run, s.flag(), was, given);
            }
            if (s != STEPS) {
                out.printf(
                        "Note: %s changes from %s to %s for the rest of the run (it will not"
                                + " match an uninterrupted run exactly).%n",
                        s.flag(), was, given);
            }
        }
        out.flush();
    }

    private static boolean flag(CommandSpec spec, String name) {
        OptionSpec o = spec.findOption(name);
        return o != null && Boolean.TRUE.equals(o.getValue());
    }

    private static GenLabException refuse(Path run, String flag, String was, Object given) {
        return new GenLabException(
                flag
                        + ": the run in "
                        + run
                        + " was trained with "
                        + was
                        + ", this command gives "
                        + given
                        + ". A resumed run keeps its settings: drop "
                        + flag
                        + ", or train a new run (another --run, or --overwrite).");
    }

    /** Compares a flag's value with a recorded one: numbers by value, paths resolved. */
    static boolean same(Object given, String recorded) {
        if (given instanceof Number n) {
            try {
                return (float) n.doubleValue() == (float) Double.parseDouble(recorded);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (given instanceof Path p) {
            return p.toAbsolutePath()
                    .normalize()
                    .equals(Path.of(recorded).toAbsolutePath().normalize());
        }
        return Objects.toString(given).equalsIgnoreCase(recorded.trim());
    }

    private static Object convert(Class<?> type, String s, String flag) {
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.valueOf(s.trim());
            } else if (type == long.class || type == Long.class) {
                return Long.valueOf(s.trim());
            } else if (type == float.class || type == Float.class) {
                return Float.valueOf(s.trim());
            } else if (type == double.class || type == Double.class) {
                return Double.valueOf(s.trim());
            } else if (type == boolean.class || type == Boolean.class) {
                return Boolean.valueOf(s.trim());
            } else if (type == Path.class) {
                return Path.of(s.trim());
            }
            return s;
        } catch (NumberFormatException e) {
            throw new GenLabException(
                    "The run's recorded setting for "
                            + flag
                            + " is not a number ('"
                            + s
                            + "'): its checkpoint's settings were edited or damaged.");
        }
    }
}
