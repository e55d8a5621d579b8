package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Walks every command and every numeric option and gives it NaN, ±∞, a non-number, a value below
 * its range and an absurd size: each must be refused in one line with exit status 2, no stack
 * trace, before anything runs.
 */
class BadValuesTest {

    @TempDir Path dir;

    @Test
    void everyNumericOptionOfEveryCommandRefusesBadValuesInOneLine() throws Exception {
        Path png = dir.resolve("input.png");
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(
                        28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png",
                png.toFile());
        List<CommandLine> leaves = new ArrayList<>();
        collect(GenLabCommand.newCommandLine(), leaves);
        int checked = 0;
        List<String> commands = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (CommandLine c : leaves) {
            CommandSpec spec = c.getCommandSpec();
            List<String> base = base(spec, png);
            commands.add(Checks.path(spec));
            for (OptionSpec o : Checks.numericOptions(spec)) {
                Checks.Rule r = Checks.rule(spec, o);
                if (r == null) {
                    missing.add(Checks.path(spec) + " " + o.longestName());
                    continue;
                }
                List<String> values =
                        new ArrayList<>(List.of("NaN", "Infinity", "-Infinity", "1e400", "abc"));
                boolean integral =
                        o.type() == int.class
                                || o.type() == Integer.class
                                || o.type() == long.class
                                || o.type() == Long.class;
                if (r.min() > -Double.MAX_VALUE) {
                    values.add(
                            integral
                                    ? Long.toString((long) Math.ceil(r.min()) - 1)
                                    : r.min() > 0 ? "0" : Double.toString(r.min() - 1));
                    values.add("-1000000");
                }
                if (r.max() < Double.MAX_VALUE) {
                    values.add(
                            integral
                                    ? Long.toString((long) Math.floor(r.max()) + 1)
                                    : Double.toString(r.max() * 10 + 1));
                    values.add("1000000000000");
                }
                for (String v : values) {
                    List<String> args = new ArrayList<>(base);
                    args.add(o.longestName());
                    args.add(v);
                    String err = RunSafetyTest.refused(args.toArray(new String[0]));
                    assertThat(err).as("%s", args).contains(o.longestName());
                    checked++;
                }
            }
        }
        assertThat(missing).as("numeric options without a range in Checks.RULES").isEmpty();
        System.out.printf("bad values refused: %d, over commands %s%n", checked, commands);
        assertThat(commands)
                .contains("train gan", "train diffusion", "sample diffusion", "inpaint");
        assertThat(checked).isGreaterThan(300);
        assertThat(dir.resolve("run")).doesNotExist();
        assertThat(Files.list(dir).count()).isEqualTo(1); // only the input PNG
    }

    private static void collect(CommandLine c, List<CommandLine> out) {
        if (c.getSubcommands().isEmpty()) {
            out.add(c);
        }
        for (CommandLine sub : c.getSubcommands().values()) {
            if (!sub.getCommandName().equals("help")) {
                collect(sub, out);
            }
        }
    }

    /** The command's words and a plausible value for each required option and parameter. */
    private List<String> base(CommandSpec spec, Path png) {
        List<String> args = new ArrayList<>(List.of(Checks.path(spec).split(" ")));
        for (OptionSpec o : spec.options()) {
            if (o.required()) {
                args.add(o.longestName());
                args.add(value(o.longestName(), o.type(), png));
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.required()) {
                args.add(value(p.paramLabel(), p.type(), png));
            }
        }
        return args;
    }

    private String value(String name, Class<?> type, Path png) {
        if (name.contains("image") || name.toLowerCase().contains("png")) {
            return png.toString();
        }
        if (type == Path.class || List.class.isAssignableFrom(type)) {
            return dir.resolve("run").toString();
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "1";
        }
        return name.contains("dataset") ? "ring" : "mnist";
    }
}
