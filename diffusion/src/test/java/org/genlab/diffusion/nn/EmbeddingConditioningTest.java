package org.genlab.diffusion.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Path;
import org.genlab.core.data.Batch;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.runtime.Seeds;
import org.genlab.diffusion.guidance.ClassifierFreeGuidance;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.diffusion.train.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UNet conditioned on a float vector (B, D) — the unCLIP decoder's CLIP image embedding — instead
 * of token ids: the rows stay float from the data set to the encoder, ∅ is the zero vector.
 */
class EmbeddingConditioningTest {

    /** z (B, D) → (2 tokens, mask of ones, pooled), like the pipelines' ImageEmbeddingEncoder. */
    static final class VectorTokens extends LazyBlock {
        private final Block proj = addChildBlock("proj", Linear.builder().setUnits(16).build());

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray z = in.singletonOrThrow();
            assertThat(z.getDataType()).isEqualTo(DataType.FLOAT32);
            long b = z.getShape().get(0);
            NDArray tokens = Children.call(proj, ps, training, z).reshape(b, 2, 8);
            return new NDList(
                    tokens, z.getManager().ones(new Shape(b, 2)), tokens.mean(new int[] {1}));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] s) {
            return new Shape[] {s[0]};
        }
    }

    @Test
    void aUNetReadsFloatRowsAndGuidanceUsesTheZeroVector() {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(4);
            UNet unet =
                    UNet.builder()
                            .setChannels(1)
                            .optBaseChannels(16)
                            .optChannelMultipliers(1, 2)
                            .optGroups(4)
                            .optEmbeddingEncoder(new VectorTokens(), 5, true)
                            .build();
            unet.initialize(m, 8, 8);
            assertThat(unet.isEmbeddingConditional()).isTrue();
            NDArray x = m.randomNormal(new Shape(3, 1, 8, 8));
            NDArray t = m.create(new float[] {1, 50, 900});
            NDArray z = m.randomNormal(new Shape(3, 5));
            Denoiser d = Denoiser.of(unet, Prediction.EPSILON);
            NDArray eps = d.predict(x, t, z);
            NDArray none = d.predict(x, t, m.zeros(new Shape(3, 5)));
            // no condition given = the zero vector ∅
            assertThat(d.predict(x, t, null).sub(none).abs().max().getFloat()).isLessThan(1e-5f);
            // the embedding matters
            assertThat(eps.sub(none).abs().max().getFloat()).isGreaterThan(1e-6f);
            // w = 1 is the conditional prediction, w = 0 the unconditional (zero-vector) one
            NDArray w1 = ClassifierFreeGuidance.forEmbeddings(d, 1f).predict(x, t, z);
            assertThat(w1.sub(eps).abs().max().getFloat()).isLessThan(1e-4f);
            NDArray w0 = ClassifierFreeGuidance.forEmbeddings(d, 0f).predict(x, t, z);
            assertThat(w0.sub(none).abs().max().getFloat()).isLessThan(1e-4f);

            // dropout keeps float rows float, each row whole or zero
            NDArray many = m.ones(new Shape(400, 5)).mul(0.5f);
            NDArray dropped = ClassifierFreeGuidance.dropCaptions(many, 0.25f);
            assertThat(dropped.getDataType()).isEqualTo(DataType.FLOAT32);
            NDArray rowSums = dropped.sum(new int[] {1});
            long zeros = rowSums.eq(0f).sum().getLong();
            long whole = rowSums.sub(2.5f).abs().lt(1e-5f).sum().getLong();
            assertThat(zeros + whole).isEqualTo(400);
            assertThat(zeros / 400.0).isCloseTo(0.25, within(0.08));
            // integer rows still come out int64
            assertThat(
                            ClassifierFreeGuidance.dropCaptions(
                                            m.ones(new Shape(4, 3), DataType.INT32), 0.5f)
                                    .getDataType())
                    .isEqualTo(DataType.INT64);
        }
    }

    @Test
    void aDecoderTrainsOnFloatRowsThroughTheSampleSet(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(5);
            ModelSpec spec =
                    new ModelSpec(
                            "unet", "cpu", 1, 8, 8, 0, "linear", 100, Prediction.EPSILON, 5, true);
            assertThat(spec.isEmbeddingConditional()).isTrue();
            assertThat(spec.isTextConditional()).isFalse();
            assertThat(ModelSpec.fromConfig(spec.toConfig())).isEqualTo(spec);
            VectorTokens enc = new VectorTokens();
            Block unet = spec.build(m, enc, true);
            NDArray images = m.randomUniform(-1f, 1f, new Shape(16, 1, 8, 8));
            NDArray z = m.randomNormal(new Shape(16, 5));
            SampleSet data = SampleSet.of(images, z);
            BatchSource.Shuffled batches = BatchSource.shuffled(data, 8, 5);
            try (NDManager sub = m.newSubManager()) {
                Batch b = batches.next(sub, 0);
                assertThat(b.labels().getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(b.labels().getShape()).isEqualTo(new Shape(8, 5));
            }
            DiffusionTrainer task =
                    DiffusionTrainer.builder()
                            .setModel(spec, unet)
                            .setData(batches)
                            .setManager(m)
                            .optSamples(4, 3, 1, 3f)
                            .optConditions(
                                    new float[][] {new float[5], z.get(0).toFloatArray()},
                                    images.get("0:2"))
                            .build();
            float[] before = enc.getParameters().valueAt(0).getArray().toFloatArray();
            float loss;
            try (NDManager sub = m.newSubManager()) {
                loss = task.step(0, sub).toFloats().values().iterator().next();
            }
            assertThat(Float.isFinite(loss)).isTrue();
            // the encoder trains with the denoiser
            float[] after = enc.getParameters().valueAt(0).getArray().toFloatArray();
            assertThat(after).isNotEqualTo(before);
            // the progress picture: a row of sources over the decoded conditions
            task.writeSamples(1, dir);
            assertThat(dir.resolve("step-0000001.png")).exists();
        }
    }
}
