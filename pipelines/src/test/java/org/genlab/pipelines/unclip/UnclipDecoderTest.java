package org.genlab.pipelines.unclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.diffusion.nn.Prediction;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.genlab.diffusion.train.TrainedModel;
import org.genlab.text.clip.Clip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unCLIP decoder's pieces: the embedding encoder's shapes, slerp, and a tiny decoder run on
 * real MNIST (with an untrained CLIP) that is reopened from its folder and draws variations and
 * interpolations.
 */
class UnclipDecoderTest {

    @TempDir Path tmp;

    @Test
    void theEncoderMakesKTokensAPooledVectorAndMasksTheZeroVector() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(1);
            ImageEmbeddingEncoder enc =
                    ImageEmbeddingEncoder.builder()
                            .setEmbeddingDim(12)
                            .optTokens(3)
                            .optDim(8)
                            .build();
            enc.initialize(m);
            NDArray z = m.randomNormal(new Shape(2, 12)).concat(m.zeros(new Shape(1, 12)), 0);
            NDList out = enc.forward(new ParameterStore(m, false), new NDList(z), false);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(3, 3, 8));
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(3, 3));
            assertThat(out.get(2).getShape()).isEqualTo(new Shape(3, 8));
            // a real embedding is seen, the zero vector ∅ is not
            assertThat(out.get(1).toFloatArray())
                    .containsExactly(1f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 0f);
            assertThat(ImageEmbeddingEncoder.fromConfig(enc.toConfig()).toConfig())
                    .isEqualTo(enc.toConfig());
            assertThatThrownBy(
                            () ->
                                    enc.forward(
                                            new ParameterStore(m, false),
                                            new NDList(m.zeros(new Shape(2, 5))),
                                            false))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("(B, 12)");
        }
    }

    @Test
    void slerpStaysOnTheSphereAndHitsTheEnds() {
        float[] a = {1, 0, 0};
        float[] b = {0, 1, 0};
        assertThat(Variations.slerp(a, b, 0)).containsExactly(a);
        float[] end = Variations.slerp(a, b, 1);
        assertThat(end[1]).isCloseTo(1f, within(1e-6f));
        assertThat(end[0]).isCloseTo(0f, within(1e-6f));
        float[] mid = Variations.slerp(a, b, 0.5);
        // on the unit circle, at 45°: a straight line would give length 0.707
        assertThat(mid[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(mid[1]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        // equal vectors: no division by sin 0
        assertThat(Variations.slerp(a, a, 0.3)).containsExactly(a);
    }

    @Test
    void aTinyDecoderTrainsReopensAndDrawsVariationsAndInterpolations() {
        Path dir = tmp.resolve("decoder");
        Clip clip;
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(6);
            clip =
                    Clip.builder()
                            .setImageShape(new Shape(1, 28, 28))
                            .setVocabularySize(10)
                            .optEmbedDim(16)
                            .build()
                            .initialize(m);
            ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(64).build();
            SampleSet data = UnclipDecoder.trainingSet(clip, mnist, m);
            NDArray z = data.labels(m, new int[] {0, 1, 2});
            assertThat(z.getShape()).isEqualTo(new Shape(3, 16));
            assertThat(z.getDataType()).isEqualTo(DataType.FLOAT32);
            // unit rows
            assertThat(z.square().sum(new int[] {1}).sub(1f).abs().max().getFloat())
                    .isLessThan(1e-4f);
            ImageEmbeddingEncoder enc = UnclipDecoder.encoder(clip);
            ModelSpec spec =
                    new ModelSpec(
                            "unet",
                            "cpu",
                            1,
                            28,
                            28,
                            0,
                            "linear",
                            50,
                            Prediction.EPSILON,
                            16,
                            true);
            Block net = spec.build(m, enc, true);
            DiffusionTrainer task =
                    DiffusionTrainer.builder()
                            .setModel(spec, net)
                            .setData(BatchSource.shuffled(data, 8, 6))
                            .setManager(m)
                            .build();
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.putAll(UnclipDecoder.config(tmp.resolve("no-clip-needed"), enc));
            config.put("dataset", "mnist");
            TrainingLoop.builder()
                    .setTask(task)
                    .setSteps(2)
                    .setRunFolder(RunFolder.create(dir))
                    .setSeed(6)
                    .setManager(m)
                    .optSampleEvery(0)
                    .optProgressBar(false)
                    .optConfig(config)
                    .optOutput(new PrintStream(new ByteArrayOutputStream()))
                    .build()
                    .fit();
            // reopened from its folder: the encoder is rebuilt from the unclip.* keys
            try (TrainedModel model = TrainedModel.open(RunFolder.open(dir), m, true)) {
                assertThat(model.isEmbeddingConditional()).isTrue();
                assertThat(model.isTextConditional()).isFalse();
                assertThat(UnclipDecoder.isDecoder(RunFolder.open(dir).config())).isTrue();
                Variations v =
                        Variations.builder()
                                .setDecoder(model)
                                .setClip(clip)
                                .optSampler("ddim", 3)
                                .build();
                NDArray x = mnist.samples(m, new int[] {0, 1});
                NDArray vars = v.of(x.get("0:1"), 2, 7);
                assertThat(vars.getShape()).isEqualTo(new Shape(2, 1, 28, 28));
                // two seeds' worth of noise: the two variations differ
                assertThat(vars.get(0).sub(vars.get(1)).abs().max().getFloat())
                        .isGreaterThan(1e-3f);
                // deterministic for a seed
                assertThat(v.of(x.get("0:1"), 2, 7).sub(vars).abs().max().getFloat())
                        .isLessThan(1e-5f);
                // the same image at both ends: every frame has the same embedding and noise
                NDArray same = v.interpolate(x.get("0:1"), x.get("0:1"), 3, 8);
                assertThat(same.getShape()).isEqualTo(new Shape(3, 1, 28, 28));
                assertThat(same.get(0).sub(same.get(2)).abs().max().getFloat()).isLessThan(1e-4f);
                NDArray two = v.interpolate(x.get("0:1"), x.get("1:2"), 3, 8);
                assertThat(two.get(0).sub(same.get(0)).abs().max().getFloat()).isLessThan(1e-4f);
            }
        }
    }
}
