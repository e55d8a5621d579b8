package org.genlab.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genlab.core.GenLabException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * GenLab's one validation layer for command-line values. Every number is checked here before a
 * command runs: it must be finite (NaN and ±∞ are refused while parsing), and each numeric option
 * has a range in {@link #RULES} (a command may narrow it by naming itself, e.g. {@code "sample gan
 * --n"}). Limits that depend on the data or the machine (a batch no larger than the data set,
 * {@code --n} samples that fit in memory) are checked by the commands with {@link #batchFitsData}
 * and {@link #fitsInMemory}. Every refusal is one line, exit status 2.
 */
public final class Checks {

    /** A closed range {@code [min, max]} for a numeric option, with a word on what it means. */
    record Rule(double min, double max, String meaning) {}

    private static final double BIG = 1e9;

    /**
     * The ranges, by option name, or by {@code "COMMAND --option"} where a command differs. A test
     * walks every numeric option of every command and fails when one has no rule here.
     */
    static final Map<String, Rule> RULES =
            Map.ofEntries(
                    Map.entry("--batch", new Rule(1, 65_536, "images per training step")),
                    Map.entry("--speed-batch", new Rule(1, 4096, "images per timed batch")),
                    Map.entry("--steps", new Rule(1, BIG, "training steps")),
                    Map.entry("sample diffusion --steps", new Rule(1, 1000, "sampling steps")),
                    Map.entry("inpaint --steps", new Rule(1, 1000, "sampling steps")),
                    Map.entry("interpolate --steps", new Rule(2, 64, "images along the path")),
                    Map.entry("--epochs", new Rule(1e-6, 100_000, "passes over the data")),
                    Map.entry("--lr", new Rule(1e-9, 10, "learning rate")),
                    Map.entry("--width", new Rule(1, 1024, "channels")),
                    Map.entry("--latent", new Rule(1, 4096, "size of z")),
                    Map.entry("--latent-channels", new Rule(1, 64, "latent channels")),
                    Map.entry("--n", new Rule(1, 4096, "samples")),
                    Map.entry("inpaint --n", new Rule(1, 256, "completions")),
                    Map.entry("datasets captions --n", new Rule(1, 1000, "captioned images")),
                    Map.entry("--first", new Rule(0, 10_000_000, "index of the first image")),
                    Map.entry(
                            "compare --n",
                            new Rule(200, 50_000, "the metrics need at least 200 per model")),
                    Map.entry("--ema", new Rule(0, 0.999999, "EMA decay, 0 for none")),
                    Map.entry("--ema-decay", new Rule(0, 0.999999, "EMA decay")),
                    Map.entry("--label-dropout", new Rule(0, 1, "probability")),
                    Map.entry("--n-critic", new Rule(0, 100, "D steps per G step, 0 default")),
                    Map.entry("--sample-every", new Rule(0, BIG, "steps, 0 for never")),
                    Map.entry("--checkpoint-every", new Rule(0, BIG, "steps, 0 for at the end")),
                    Map.entry("--limit", new Rule(1, 10_000_000, "items")),
                    Map.entry("--minutes", new Rule(1e-3, 10_000, "minutes of wall time")),
                    Map.entry("--timesteps", new Rule(2, 100_000, "diffusion steps T")),
                    Map.entry("--guidance", new Rule(0, 100, "guidance weight w")),
                    Map.entry("--classifier-scale", new Rule(0, 999, "guidance scale s")),
                    Map.entry("--eta", new Rule(0, 1, "DDIM η")),
                    Map.entry("--mix", new Rule(0, 1, "share of the column latent")),
                    Map.entry("--truncation", new Rule(0, 100, "threshold, 0 for none")),
                    Map.entry("--resample", new Rule(1, 50, "RePaint resamplings")),
                    Map.entry("train autoencoder --limit", new Rule(2, 10_000_000, "images")),
                    Map.entry(
                            "train noisy-classifier --batch", new Rule(1, 4096, "images per step")),
                    Map.entry("train noisy-classifier --width", new Rule(4, 1024, "channels")),
                    Map.entry(
                            "train noisy-classifier --lr", new Rule(1e-9, 0.999, "learning rate")),
                    Map.entry("--class", new Rule(0, 999, "class index")),
                    Map.entry("--kl-weight", new Rule(0, 1, "KL weight β")),
                    Map.entry("--codebook", new Rule(2, 65_536, "codes K")),
                    Map.entry("--gradient-clip", new Rule(0, 1e6, "norm, 0 for none")),
                    Map.entry("--scale-images", new Rule(2, 100_000, "images")),
                    Map.entry("--eval-images", new Rule(0, 10_000, "test images, 0 for none")),
                    Map.entry("--threads", new Rule(1, 1024, "threads")),
                    Map.entry("--sample-batch", new Rule(1, 4096, "images per batch")),
                    Map.entry("--warmup", new Rule(0, 10_000, "untimed repeats")),
                    Map.entry("--repeats", new Rule(1, 10_000, "timed repeats")),
                    Map.entry("--min-repeat-seconds", new Rule(0, 3600, "seconds")),
                    Map.entry("--ddpm-steps", new Rule(1, 1000, "sampling steps")),
                    Map.entry("--gan-width", new Rule(1, 1024, "channels")),
                    Map.entry("--memory-steps", new Rule(0, BIG, "steps, 0 for none")),
                    Map.entry("--memory-limit", new Rule(0, BIG, "limit")),
                    Map.entry("--embed-dim", new Rule(2, 4096, "embedding dimensions")),
                    Map.entry("--text-dim", new Rule(4, 4096, "transformer width")),
                    Map.entry("--text-layers", new Rule(1, 64, "transformer layers")),
                    Map.entry("train clip --eval-images", new Rule(10, 10_000, "test images")),
                    Map.entry("clip zero-shot --n", new Rule(10, 10_000, "test images")),
                    Map.entry("clip search --n", new Rule(1, 10_000, "test images")),
                    Map.entry("--k", new Rule(1, 1000, "results")),
                    Map.entry("edit --steps", new Rule(1, 1000, "sampling steps")),
                    Map.entry("variations --steps", new Rule(1, 1000, "sampling steps")),
                    Map.entry("sample unclip --steps", new Rule(1, 1000, "sampling steps")),
                    Map.entry("sample unclip --n", new Rule(1, 256, "images per prompt")),
                    Map.entry("sample unclip --evaluate", new Rule(1, 10_000, "test prompts")),
                    Map.entry(
                            "sample autoregressive --evaluate",
                            new Rule(1, 10_000, "test prompts")),
                    Map.entry("variations --n", new Rule(1, 64, "variations")),
                    Map.entry("--frames", new Rule(2, 64, "images along the path")),
                    Map.entry("variations --evaluate", new Rule(1, 10_000, "test images")),
                    Map.entry("--evaluate", new Rule(1, 10_000, "random edits")),
                    Map.entry("--dim", new Rule(1, 4096, "transformer width D")),
                    Map.entry("--layers", new Rule(1, 64, "decoder layers")),
                    Map.entry("--heads", new Rule(1, 64, "attention heads")),
                    Map.entry(
                            "train autoregressive --label-dropout",
                            new Rule(0, 0.99, "probability")),
                    Map.entry("--temperature", new Rule(0, 100, "temperature τ, 0 greedy")),
                    Map.entry("--top-k", new Rule(0, 65_536, "codes, 0 for all")),
                    Map.entry("--candidates", new Rule(1, 256, "draws per image")),
                    Map.entry("sample autoregressive --n", new Rule(1, 1024, "samples")),
                    Map.entry("train prior --depth", new Rule(0, 64, "residual layers")),
                    Map.entry("train prior --caption-dropout", new Rule(0, 0.99, "probability")),
                    Map.entry("train prior --candidates", new Rule(1, 16, "samples per caption")),
                    Map.entry("--seed", new Rule(-Double.MAX_VALUE, Double.MAX_VALUE, "any")));

    private Checks() {}

    /**
     * Installs the layer on a command line: finite-number converters, one-line errors for bad
     * values, and the range check before any command runs.
     *
     * @param cl the command line
     */
    static void install(CommandLine cl) {
        CommandLine.ITypeConverter<Float> f = s -> (float) finite(s);
        CommandLine.ITypeConverter<Double> d = Checks::finite;
        cl.registerConverter(Float.class, f);
        cl.registerConverter(float.class, f);
        cl.registerConverter(Double.class, d);
        cl.registerConverter(double.class, d);
        cl.setParameterExceptionHandler(
                (e, args) -> {
                    CommandLine c = e.getCommandLine();
                    PrintWriter err = c.getErr();
                    err.println(
                            c.getColorScheme()
                                    .errorText(
                                            "genlab: "
                                                    + oneLine(e.getMessage())
                                                    + " (see 'genlab "
                                                    + path(c.getCommandSpec())
                                                    + " --help')"));
                    err.flush();
                    return 2;
                });
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(
                parse -> {
                    ParseResult leaf = parse;
                    try {
                        while (leaf.hasSubcommand()) {
                            check(leaf);
                            leaf = leaf.subcommand();
                        }
                        check(leaf);
                        ResumeSettings.apply(leaf);
                    } catch (GenLabException e) {
                        throw new CommandLine.ExecutionException(
                                leaf.commandSpec().commandLine(), e.getMessage(), e);
                    }
                    return run.execute(parse);
                });
    }

    /** Parses a number and refuses NaN and the infinities. */
    private static double finite(String s) {
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a finite number");
        }
        return v;
    }

    /** Checks every numeric option of one command, given or defaulted, against its rule. */
    private static void check(ParseResult parse) {
        CommandSpec spec = parse.commandSpec();
        for (OptionSpec o : spec.options()) {
            Object value = o.getValue();
            if (value instanceof java.nio.file.Path p) {
                checkPath(spec, o.longestName(), p);
                continue;
            }
            if (!(value instanceof Number)) {
                continue;
            }
            Rule r = rule(spec, o);
            if (r == null) {
                throw new IllegalStateException(
                        "No range for " + path(spec) + " " + o.longestName() + " in Checks.RULES");
            }
            double v = ((Number) value).doubleValue();
            if (!(v >= r.min() && v <= r.max())) {
                throw new GenLabException(
                        o.longestName()
                                + " must be "
                                + range(r, value)
                                + " ("
                                + r.meaning()
                                + "), got "
                                + value
                                + ".");
            }
        }
    }

    /** Options naming a file GenLab writes (a folder there is refused). */
    private static final java.util.Set<String> OUTPUT_FILES =
            java.util.Set.of(
                    "sample gan --out",
                    "sample diffusion --out",
                    "sample autoregressive --out",
                    "sample autoregressive --token-steps",
                    "inpaint --out",
                    "datasets captions --out");

    /** Options naming a folder (a file there is refused). */
    private static final java.util.Set<String> FOLDERS =
            java.util.Set.of(
                    "--run",
                    "--init-from",
                    "--data-dir",
                    "train diffusion --latent",
                    "train autoregressive --autoencoder",
                    "sample autoregressive --clip",
                    "compare --out",
                    "demo --out");

    /** Options naming a file GenLab reads. */
    private static final java.util.Set<String> INPUT_FILES = java.util.Set.of("inpaint --image");

    /** A path of the wrong kind: a folder where a file goes, a file where a folder goes. */
    private static void checkPath(CommandSpec spec, String name, java.nio.file.Path p) {
        String key = path(spec) + " " + name;
        if (OUTPUT_FILES.contains(key)) {
            if (java.nio.file.Files.isDirectory(p)) {
                throw new GenLabException(
                        name + " " + p + " is a folder: give a file name ending in .png.");
            }
        } else if (INPUT_FILES.contains(key)) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new GenLabException(
                        name
                                + " "
                                + p
                                + (java.nio.file.Files.isDirectory(p)
                                        ? " is a folder, not a file."
                                        : " does not exist.")
                                + " Give the path of a PNG image.");
            }
            if (!java.nio.file.Files.isReadable(p)) {
                throw new GenLabException(name + " " + p + " cannot be read: permission denied.");
            }
        } else if ((FOLDERS.contains(name) || FOLDERS.contains(key))
                && java.nio.file.Files.exists(p)
                && !java.nio.file.Files.isDirectory(p)) {
            throw new GenLabException(name + " " + p + " is a file, not a folder.");
        }
    }

    /**
     * Returns the rule for an option of a command, or null when there is none.
     *
     * @param spec the command
     * @param o one of its options
     * @return the rule
     */
    static Rule rule(CommandSpec spec, OptionSpec o) {
        String name = o.longestName();
        Rule r = RULES.get(path(spec) + " " + name);
        if (r == null) {
            r = RULES.get(spec.name() + " " + name);
        }
        return r != null ? r : RULES.get(name);
    }

    private static String range(Rule r, Object value) {
        boolean integral = !(value instanceof Float || value instanceof Double);
        if (r.max() >= BIG) {
            return "at least " + number(r.min(), integral);
        }
        return "between " + number(r.min(), integral) + " and " + number(r.max(), integral);
    }

    private static String number(double v, boolean integral) {
        if (integral || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,d", (long) Math.ceil(v)).replace(',', ' ');
        }
        return String.format(Locale.ROOT, "%s", (float) v);
    }

    /** "train gan" for the spec of {@code genlab train gan}. */
    static String path(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.startsWith("genlab ") ? q.substring(7) : q.equals("genlab") ? "" : q;
    }

    private static String oneLine(String s) {
        return s == null ? "bad input" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /**
     * Refuses a batch larger than the data it is drawn from.
     *
     * @param batch the batch size
     * @param items how many items the data set has
     * @param what e.g. {@code "MNIST's 60000 training images"}
     */
    static void batchFitsData(int batch, long items, String what) {
        if (batch > items) {
            throw new GenLabException(
                    "--batch "
                            + batch
                            + " is larger than the data ("
                            + items
                            + " "
                            + what
                            + "): use --batch "
                            + items
                            + " or less, or a larger --limit.");
        }
    }

    /**
     * Refuses work whose tensors would not fit in the machine's memory: {@code count} items of
     * {@code bytesEach} bytes, times {@code copies} live copies (activations, the sampler's
     * intermediate steps), against half of the physical memory.
     *
     * @param flag the option that sets the count, e.g. {@code --n}
     * @param count the count given
     * @param bytesEach bytes per item for one copy
     * @param copies how many copies the work holds at once
     */
    static void fitsInMemory(String flag, long count, long bytesEach, int copies) {
        long budget = physicalMemory() / 2;
        double need = (double) count * bytesEach * copies;
        if (need > budget) {
            long most = Math.max(1, budget / Math.max(1, bytesEach * (long) copies));
            throw new GenLabException(
                    String.format(
                            Locale.ROOT,
                            "%s %d would need about %.1f GB of memory, more than half of this"
                                    + " machine's %.1f GB: use %s %d or less.",
                            flag,
                            count,
                            need / 1e9,
                            physicalMemory() / 1e9,
                            flag,
                            most));
        }
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os =
                ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * The options of one command that take numbers, for tests and help.
     *
     * @param spec the command
     * @return its numeric options
     */
    static List<OptionSpec> numericOptions(CommandSpec spec) {
        return spec.options().stream()
                .filter(o -> Number.class.isAssignableFrom(box(o.type())))
                .toList();
    }

    private static Class<?> box(Class<?> t) {
        if (t == int.class) {
            return Integer.class;
        } else if (t == long.class) {
            return Long.class;
        } else if (t == float.class) {
            return Float.class;
        } else if (t == double.class) {
            return Double.class;
        }
        return t;
    }
}
