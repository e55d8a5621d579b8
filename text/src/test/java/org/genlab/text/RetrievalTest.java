package org.genlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.genlab.core.GenLabException;
import org.genlab.text.clip.Clip;
import org.genlab.text.clip.ClipSpec;
import org.genlab.text.clip.Retrieval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalTest {

    @TempDir Path tmp;

    @Test
    void topKAndRecallCountGroupMatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            // keys: 4 unit vectors at 0°, 30°, 90°, 180°
            float c = (float) Math.cos(Math.PI / 6);
            NDArray keys = m.create(new float[] {1, 0, c, 0.5f, 0, 1, -1, 0}, new Shape(4, 2));
            assertThat(Retrieval.topK(m.create(new float[] {1, 0}), keys, 3))
                    .containsExactly(0, 1, 2);
            NDArray queries = m.create(new float[] {0, 1, -1, 0}, new Shape(2, 2));
            // query 0 (90°) is nearest key 2; query 1 (180°) nearest key 3
            assertThat(
                            Retrieval.recallAtK(
                                    queries, keys, new int[] {2, 3}, new int[] {0, 1, 2, 3}, 1))
                    .isEqualTo(1.0);
            // with key 3 in group 4, query 1 (180°) must reach key 1 (30°, group 1): its nearest
            // keys are 3, 2, 1, so K = 3
            int[] groups = {0, 1, 2, 4};
            assertThat(Retrieval.recallAtK(queries, keys, new int[] {2, 1}, groups, 1))
                    .isEqualTo(0.5);
            assertThat(Retrieval.recallAtK(queries, keys, new int[] {2, 1}, groups, 3))
                    .isEqualTo(1.0);
            assertThatThrownBy(() -> Retrieval.topK(m.create(new float[] {1, 0}), keys, 5))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("K must be in [1, 4]");
        }
    }

    @Test
    void specRoundTripsAndLoadExplainsWhatIsMissing() {
        Clip clip =
                Clip.builder().setImageShape(new Shape(3, 32, 32)).setVocabularySize(12).build();
        ClipSpec spec = clip.spec();
        assertThat(ClipSpec.fromConfig(spec.toConfig())).isEqualTo(spec);
        assertThat(spec.toConfig())
                .containsEntry("model", "clip")
                .containsEntry("clip.channels", "3");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Clip.load(tmp.resolve("nothing"), m))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("No CLIP run at");
            NDArray i =
                    clip.initialize(m)
                            .encodeImages(
                                    new ai.djl.training.ParameterStore(m, false),
                                    m.zeros(new Shape(2, 3, 32, 32)));
            assertThat(i.getShape()).isEqualTo(new Shape(2, 64));
            assertThat(clip.logitScale().getFloat())
                    .isCloseTo(1 / 0.07f, org.assertj.core.api.Assertions.within(1e-3f));
            assertThatThrownBy(
                            () ->
                                    clip.encodeImages(
                                            new ai.djl.training.ParameterStore(m, false),
                                            m.zeros(new Shape(2, 1, 28, 28))))
                    .isInstanceOf(GenLabException.class)
                    .hasMessage("This CLIP model takes (B, 3, 32, 32) images, got (2, 1, 28, 28).");
        }
    }
}
