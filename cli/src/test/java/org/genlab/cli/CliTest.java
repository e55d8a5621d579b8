package org.genlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

    @TempDir Path dir;

    private record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = GenLabCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void infoPrintsTheEngineTheFlavourAndTheDevice() {
        Result r = run("info");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("Engine:            PyTorch 2.7.1")
                .contains("libtorch flavour:  cpu")
                .containsPattern("(?m)^Devices\\R  cpu \\(\\d+ cores\\)")
                .contains("Data cache:")
                .contains("mnist");
    }

    @Test
    void helpListsTheCommandsAndTheGlobalOptions() {
        Result r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("info", "datasets", "provenance", "--device", "--seed");
        Result sub = run("info", "--help");
        assertThat(sub.out()).contains("Usage: genlab info").contains("--device");
        assertThat(run("--version").out()).startsWith("GenLab ").contains("DJL 0.36.0");
    }

    @Test
    void classifierLoadsTheCachedMnistLenetAndListsTheOthers() {
        Result r = run("classifier", "mnist");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .containsPattern("mnist +lenet +test accuracy 99\\.\\d\\d % \\(target 99 %\\)")
                .contains("84 features per image; compare reports the Fréchet LeNet Distance")
                .doesNotContain("Below its target");
        Result list = run("classifier");
        assertThat(list.status()).isZero();
        assertThat(list.out().lines())
                .hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("mnist ").contains("test accuracy"))
                .anySatisfy(l -> assertThat(l).startsWith("fashion-mnist "))
                .anySatisfy(l -> assertThat(l).startsWith("cifar10 ").contains("smallvgg"));
        assertThat(run("info").out())
                .contains("Feature classifiers")
                .containsPattern("  mnist +lenet +test accuracy 99\\.");
    }

    @Test
    void classifierForAnUnknownDataSetNamesTheChoices() {
        Result r = run("classifier", "svhn");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err())
                .contains("no classifier for 'svhn'")
                .contains("mnist, fashion-mnist, cifar10")
                .doesNotContain("\tat ");
    }

    /**
     * Picocli prints each element of a description on lines of its own; an element that stops
     * mid-sentence leaves an orphan word or a word cut at a dot ("tar.\ngz") in the help.
     */
    @Test
    void everyHelpDescriptionIsMadeOfWholeParagraphs() {
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>();
        todo.add(GenLabCommand.newCommandLine());
        int checked = 0;
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            for (String paragraph : c.getCommandSpec().usageMessage().description()) {
                assertThat(paragraph)
                        .as("a paragraph of '%s --help'", c.getCommandSpec().qualifiedName())
                        .matches("(?s)Example: .*|.*[.);:](%n)?");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void aBadDeviceIsOneClearLineAndStatusTwo() {
        Result r = run("--device", "gpu:7", "info");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err())
                .contains("genlab: --device gpu:7")
                .contains("Devices present: cpu")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void provenanceReadsTheLabelBack() {
        Path png = dir.resolve("grid.png");
        PngWriter.write(
                new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB),
                png,
                Provenance.builder().optModel("dcgan").optSeed(9).build());
        Result r = run("provenance", png.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Model:", "dcgan", "Seed:", "9", "declared AI-generated");

        Result missing = run("provenance", dir.resolve("none.png").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("No such file");
    }
}
