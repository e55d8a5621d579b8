package coursework;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.nn.MlpGenerator;
import org.genlab.gan.train.GanTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercise 2: my own discriminator features, a small block of my own, in a conditional GAN on the
 * ring (the class is the Gaussian a point comes from).
 */
class CustomDiscriminatorTest {

    @TempDir Path dir;

    /** My critic's features φ(x): two dense layers with LeakyReLU 0.2. */
    static final class MyFeatures extends LazyBlock {
        private final Block fc1 = addChildBlock("fc1", Linear.builder().setUnits(64).build());
        private final Block fc2 = addChildBlock("fc2", Linear.builder().setUnits(64).build());

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray h = Activation.leakyRelu(Children.call(fc1, ps, training, inputs.get(0)), 0.2f);
            return new NDList(Activation.leakyRelu(Children.call(fc2, ps, training, h), 0.2f));
        }
    }

    static Discriminator myDiscriminator() {
        return Discriminator.builder()
                .setBody(new MyFeatures())
                .setSampleShape(new Shape(2))
                .optNumClasses(8)
                .build();
    }

    static Generator theirGenerator() {
        return MlpGenerator.builder()
                .setSampleShape(new Shape(2))
                .optLatentDim(8)
                .optWidth(64)
                .optNumClasses(8)
                .build();
    }

    @Test
    void trainsResumesAndSamplesFromTheEma() {
        RunFolder run = RunFolder.create(dir.resolve("my-discriminator"));
        Map<String, float[]> saved;
        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan =
                    Session.trainer(m)
                            .setGenerator(theirGenerator())
                            .setDiscriminator(myDiscriminator())
                            .optLoss(GanLoss.hinge())
                            .build();
            Session.fit(gan, m, run, 10);
            saved = Session.weights(gan.discriminator());
        }
        assertThat(run.config())
                .containsEntry("gan.model", "custom")
                .containsEntry("gan.discriminator", MyFeatures.class.getName())
                .containsEntry("gan.numClasses", "8");

        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan =
                    Session.trainer(m)
                            .setGenerator(theirGenerator())
                            .setDiscriminator(myDiscriminator())
                            .optLoss(GanLoss.hinge())
                            .build();
            Checkpoint.load(run.checkpointFile(), gan.state());
            Session.assertSameWeights(Session.weights(gan.discriminator()), saved);
            LossHistory history = Session.fit(gan, m, run, 20);
            assertThat(history.steps()).containsExactly(5L, 10L, 15L, 20L);
            assertThat(history.series("D")).allMatch(Float::isFinite);

            // a projection discriminator: the same point scores differently for another class
            ParameterStore ps = gan.parameterStore();
            NDArray x = m.create(new float[] {2f, 0f, 2f, 0f}, new Shape(2, 2));
            NDArray y = m.create(new long[] {0, 4});
            float[] logits = gan.discriminator().logits(ps, x, y, false).toFloatArray();
            assertThat(logits[0]).isNotEqualTo(logits[1]);

            // samples of class 3 from the EMA weights
            NDArray z = m.randomNormal(new Shape(100, 8));
            NDArray labels = m.full(new Shape(100), 3, DataType.INT64);
            NDArray points =
                    gan.withSamplingWeights(() -> gan.generator().generate(ps, z, labels, false));
            assertThat(points.getShape()).isEqualTo(new Shape(100, 2));
            assertThat(points.isNaN().any().getBoolean()).isFalse();
        }
    }
}
