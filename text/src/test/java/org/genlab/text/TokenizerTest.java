package org.genlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.text.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    @TempDir Path tmp;

    private final Tokenizer tok =
            Tokenizer.of(List.of("the digit seven", "a seven", "seventh", "two", "handwritten"));

    @Test
    void idsAreSortedWordsFromOneAndPadIsZero() {
        assertThat(tok.vocabulary())
                .containsExactly("a", "digit", "handwritten", "seven", "seventh", "the", "two");
        assertThat(tok.size()).isEqualTo(8);
        assertThat(tok.encode("The digit, seven!", 5)).containsExactly(6, 2, 4, 0, 0);
        // the same words in another order give the same ids
        Tokenizer again = Tokenizer.of(List.of("two", "seventh", "handwritten a seven the digit"));
        assertThat(again.vocabulary()).isEqualTo(tok.vocabulary());
        assertThat(tok.knows("SEVEN")).isTrue();
        assertThat(tok.knows("eight")).isFalse();
    }

    @Test
    void roundTripsAndSplitsOnPunctuation() {
        long[] ids = tok.encode("(a) handwritten-seven; the seventh?", 8);
        assertThat(tok.decode(ids)).isEqualTo("a handwritten seven the seventh");
        assertThat(tok.words("A  seven.")).containsExactly("a", "seven");
        assertThat(tok.encode("", 3)).containsExactly(0, 0, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = tok.encode(m, List.of("a seven", "the digit two"), 4);
            assertThat(batch.getShape()).isEqualTo(new Shape(2, 4));
            assertThat(batch.getDataType()).isEqualTo(DataType.INT64);
            assertThat(batch.toLongArray()).containsExactly(1, 4, 0, 0, 6, 2, 7, 0);
        }
    }

    @Test
    void refusesUnknownWordsWithSuggestions() {
        assertThatThrownBy(() -> tok.encode("a sevn", 4))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("Unknown word 'sevn' in the prompt \"a sevn\"")
                .hasMessageContaining("the model knows 7 words")
                .hasMessageContaining("closest: seven, seventh");
    }

    @Test
    void refusesTooLongCaptions() {
        assertThatThrownBy(() -> tok.encode("the digit seven a seven", 4))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("has 5 words")
                .hasMessageContaining("at most 4");
    }

    @Test
    void savesAndLoadsTheVocabulary() throws Exception {
        Path f = tmp.resolve("vocab.txt");
        tok.save(f);
        assertThat(Files.readAllLines(f)).hasSize(7).startsWith("a", "digit");
        Tokenizer back = Tokenizer.load(tmp);
        assertThat(back.vocabulary()).isEqualTo(tok.vocabulary());
        assertThat(back.encode("the digit seven", 4)).isEqualTo(tok.encode("the digit seven", 4));
        Files.writeString(f, "zebra\napple\n");
        assertThatThrownBy(() -> Tokenizer.load(f))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("sorted order");
    }
}
