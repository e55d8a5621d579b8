package org.genlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import org.genlab.core.image.PngWriter;
import org.genlab.core.runtime.Seeds;
import org.genlab.text.encoder.TextEncoder;
import org.genlab.text.tokenizer.Tokenizer;
import org.genlab.text.viz.AttentionMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEncoderTest {

    @TempDir Path tmp;

    private final Tokenizer tok = Tokenizer.of(List.of("a small seven next to the digit two"));

    @Test
    void shapesAndPaddingMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(1);
            TextEncoder enc =
                    TextEncoder.builder()
                            .setVocabularySize(tok.size())
                            .optDim(32)
                            .optLayers(2)
                            .optHeads(4)
                            .optMaxLength(12)
                            .build();
            enc.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            List<String> caps = List.of("a small seven", "the digit two next to a seven", "");
            NDArray ids8 = tok.encode(m, caps, 8);
            NDArray ids12 = tok.encode(m, caps, 12);
            NDList out8 = enc.forward(ps, new NDList(ids8), false);
            NDList out12 = enc.forward(ps, new NDList(ids12), false);
            assertThat(out8.get(0).getShape()).isEqualTo(new Shape(3, 8, 32));
            assertThat(out8.get(1).getShape()).isEqualTo(new Shape(3, 8));
            assertThat(out8.get(2).getShape()).isEqualTo(new Shape(3, 32));
            assertThat(out8.get(1).toFloatArray())
                    .startsWith(1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0);
            // the words' outputs do not depend on how much padding follows them
            NDArray words8 = out8.get(0).get(new NDIndex("1, 0:7"));
            NDArray words12 = out12.get(0).get(new NDIndex("1, 0:7"));
            assertThat(words8.sub(words12).abs().max().getFloat()).isLessThan(1e-5f);
            NDArray first8 = out8.get(0).get(new NDIndex("0, 0:3"));
            NDArray first12 = out12.get(0).get(new NDIndex("0, 0:3"));
            assertThat(first8.sub(first12).abs().max().getFloat()).isLessThan(1e-5f);
            assertThat(out8.get(2).sub(out12.get(2)).abs().max().getFloat()).isLessThan(1e-5f);
            // the empty caption: finite tokens, pooled exactly 0
            assertThat(out8.get(0).isNaN().any().getBoolean()).isFalse();
            assertThat(out8.get(0).isInfinite().any().getBoolean()).isFalse();
            assertThat(out8.get(2).get(2).toFloatArray()).containsOnly(0f);
            // a different word changes the caption's vector
            NDArray other = tok.encode(m, List.of("a small two"), 8);
            NDArray p = enc.forward(ps, new NDList(other), false).get(2);
            assertThat(p.sub(out8.get(2).get(new NDIndex("0:1"))).abs().max().getFloat())
                    .isGreaterThan(1e-3f);
        }
    }

    @Test
    void attentionRowsSumToOneAndIgnorePadKeys() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(2);
            TextEncoder enc =
                    TextEncoder.builder().setVocabularySize(tok.size()).optMaxLength(8).build();
            enc.initialize(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDList layers = enc.attention(ps, tok.encode(m, List.of("a small seven", ""), 8));
            assertThat(layers).hasSize(2);
            NDArray a = layers.get(0);
            assertThat(a.getShape()).isEqualTo(new Shape(2, 4, 8, 8));
            NDArray sums = a.sum(new int[] {3});
            assertThat(sums.sub(1f).abs().max().getFloat()).isLessThan(1e-5f);
            // caption 0 has 3 words: keys 3..7 are PAD and get no weight
            assertThat(a.get(new NDIndex("0, :, :, 3:")).abs().max().getFloat()).isEqualTo(0f);
            assertThat(a.get(new NDIndex("0, :, :, 0:3")).min().getFloat()).isGreaterThan(0f);
            // the empty caption's attention is finite
            assertThat(a.get(1).isNaN().any().getBoolean()).isFalse();
            Path png = tmp.resolve("attention.png");
            AttentionMaps.draw(tok.words("a small seven"), a.get(0), png);
            assertThat(PngWriter.read(png).getWidth()).isGreaterThan(4 * 3 * 30);
            assertThat(within(0f)).isNotNull();
        }
    }
}
