package org.genlab.datasets.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.datasets.DataFile;
import org.genlab.datasets.DatasetFormat;
import org.genlab.datasets.DatasetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceChainTest {

    @TempDir Path dataDir;

    static final DatasetSpec TINY =
            new DatasetSpec(
                    "tiny",
                    "two small files",
                    DatasetFormat.IDX,
                    1,
                    1,
                    1,
                    List.of("a", "b"),
                    List.of(
                            new DataFile("a", 5, Checksums.md5(bytes("alpha"))),
                            new DataFile("b", 4, Checksums.md5(bytes("beta")))));

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A source that writes fixed files, and records whether it ran. */
    static class Fixed implements DataSource {
        final String name;
        final Map<String, String> files;
        final List<String> calls;

        Fixed(String name, Map<String, String> files, List<String> calls) {
            this.name = name;
            this.files = files;
            this.calls = calls;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public boolean supports(DatasetSpec spec) {
            return true;
        }

        @Override
        public void fetch(DatasetSpec spec, Path staging, PrintStream log) throws IOException {
            calls.add(name);
            for (Map.Entry<String, String> e : files.entrySet()) {
                Files.writeString(staging.resolve(e.getKey()), e.getValue());
            }
        }
    }

    @Test
    void mismatchFallsThroughAndKeepsValidFiles() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("tiny"));
        Path a = Files.writeString(folder.resolve("a"), "alpha");
        long aModified = Files.getLastModifiedTime(a).toMillis();
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        SourceChain chain =
                new SourceChain(
                        List.of(
                                new Fixed(
                                        "broken mirror", Map.of("a", "ALPHA", "b", "BETA"), calls),
                                new Fixed(
                                        "good channel", Map.of("a", "junk!", "b", "beta"), calls)));

        Path out = chain.fetch(TINY, dataDir, log, false);

        assertThat(out).isEqualTo(folder);
        assertThat(calls).containsExactly("broken mirror", "good channel");
        // a was valid: untouched (the good channel's junk "a" was not needed, so not installed)
        assertThat(Files.readString(a)).isEqualTo("alpha");
        assertThat(Files.getLastModifiedTime(a).toMillis()).isEqualTo(aModified);
        assertThat(Files.readString(folder.resolve("b"))).isEqualTo("beta");
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("checksum mismatch for b from broken mirror");
        // no staging folders are left behind
        try (var s = Files.list(dataDir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("tiny");
        }
    }

    @Test
    void wrongChecksumOnImportDeletesNothing() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("tiny"));
        Files.writeString(folder.resolve("a"), "alpha");
        Files.writeString(folder.resolve("b"), "beta");
        SourceChain chain =
                new SourceChain(
                        List.of(
                                new Fixed(
                                        "import",
                                        Map.of("a", "alpha", "b", "BETA"),
                                        new ArrayList<>())));
        assertThatThrownBy(
                        () ->
                                chain.fetch(
                                        TINY,
                                        dataDir,
                                        new PrintStream(PrintStream.nullOutputStream()),
                                        true))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("checksum mismatch for b from import");
        assertThat(Files.readString(folder.resolve("a"))).isEqualTo("alpha");
        assertThat(Files.readString(folder.resolve("b"))).isEqualTo("beta");
    }

    @Test
    void corruptCachedFileIsReplacedAndFailingSourceIsNoted() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("tiny"));
        Files.writeString(folder.resolve("a"), "alpha");
        Files.writeString(folder.resolve("b"), "bet"); // damaged
        DataSource failing =
                new Fixed("offline host", Map.of(), new ArrayList<>()) {
                    @Override
                    public void fetch(DatasetSpec spec, Path staging, PrintStream log)
                            throws IOException {
                        throw new IOException("connection refused");
                    }
                };
        DataSource absent =
                new Fixed("absent tool", Map.of(), new ArrayList<>()) {
                    @Override
                    public String unavailableReason() {
                        return "tool is not on the PATH";
                    }
                };
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        SourceChain chain =
                new SourceChain(
                        List.of(
                                failing,
                                absent,
                                new Fixed("good", Map.of("b", "beta"), new ArrayList<>())));
        chain.fetch(TINY, dataDir, new PrintStream(logBytes, true, StandardCharsets.UTF_8), false);
        assertThat(Files.readString(folder.resolve("b"))).isEqualTo("beta");
        assertThat(logBytes.toString(StandardCharsets.UTF_8))
                .contains("offline host: failed: connection refused")
                .contains("absent tool: skipped (tool is not on the PATH)");
    }

    @Test
    void allSourcesFailingIsOneClearError() {
        SourceChain chain =
                new SourceChain(List.of(new Fixed("empty", Map.of(), new ArrayList<>())));
        assertThatThrownBy(
                        () ->
                                chain.fetch(
                                        TINY,
                                        dataDir,
                                        new PrintStream(PrintStream.nullOutputStream()),
                                        false))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Could not obtain tiny")
                .hasMessageContaining("empty: did not provide a")
                .hasMessageContaining("genlab datasets import tiny");
    }
}
