package coursework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.nn.MlpDiscriminator;
import org.genlab.gan.train.GanTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exercise 1: my own generator, a plain DJL SequentialBlock, trained against GenLab's MLP D. */
class CustomGeneratorTest {

    @TempDir Path dir;

    /** My generator: z (8) → 64 → 64 → a point (2). */
    static Generator myGenerator() {
        SequentialBlock body =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(64).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(64).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(2).build());
        return Generator.builder()
                .setBody(body)
                .setLatentDim(8)
                .setSampleShape(new Shape(2))
                .build();
    }

    static Discriminator theirDiscriminator() {
        return MlpDiscriminator.builder().setSampleShape(new Shape(2)).optWidth(64).build();
    }

    @Test
    void trainsResumesAndSamplesFromTheEma() {
        RunFolder run = RunFolder.create(dir.resolve("my-generator"));
        Map<String, float[]> saved;
        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan =
                    Session.trainer(m)
                            .setGenerator(myGenerator())
                            .setDiscriminator(theirDiscriminator())
                            .optLoss(GanLoss.nonSaturating())
                            .build();
            Session.fit(gan, m, run, 10);
            saved = Session.weights(gan.generator());
        }

        // the run folder says honestly what was trained ...
        Map<String, String> config = run.config();
        assertThat(config)
                .containsEntry("gan.model", "custom")
                .containsEntry("gan.generator", "ai.djl.nn.SequentialBlock")
                .containsEntry("gan.discriminator", "ai.djl.nn.SequentialBlock")
                .containsEntry("gan.sampleShape", "2")
                .containsEntry("gan.latentDim", "8")
                .containsEntry("gan.numClasses", "0")
                .containsEntry("seed", "7");
        // ... so GenLab refuses to rebuild it, in one line that says how to sample it from code
        assertThatThrownBy(() -> GanModels.fromConfig(config))
                .isInstanceOf(GenLabException.class)
                .hasMessageContaining("custom GAN")
                .hasMessageContaining("ai.djl.nn.SequentialBlock")
                .hasMessageContaining("Checkpoint.loadNetwork(")
                .hasMessageContaining("\"gan\", \"G\"")
                .hasMessageContaining("Extend GenLab")
                .hasMessageNotContaining("\n");

        try (NDManager m = NDManager.newBaseManager()) {
            // a new session: fresh networks, the same run folder
            GanTrainer gan =
                    Session.trainer(m)
                            .setGenerator(myGenerator())
                            .setDiscriminator(theirDiscriminator())
                            .optLoss(GanLoss.nonSaturating())
                            .build();
            Checkpoint cp = Checkpoint.load(run.checkpointFile(), gan.state());
            assertThat(cp.getStep()).isEqualTo(10);
            Session.assertSameWeights(Session.weights(gan.generator()), saved);

            LossHistory history = Session.fit(gan, m, run, 20);
            assertThat(history.steps()).containsExactly(5L, 10L, 15L, 20L);
            assertThat(Checkpoint.inspect(run.checkpointFile()).getStep()).isEqualTo(20);
            assertThat(run.samplesDir().resolve("step-0000020.png")).exists();

            // samples from the EMA weights, and the trained weights are back afterwards
            ParameterStore ps = gan.parameterStore();
            NDArray z = m.randomNormal(new Shape(256, 8));
            NDArray before = gan.generator().generate(ps, z, null, false);
            NDArray ema =
                    gan.withSamplingWeights(() -> gan.generator().generate(ps, z, null, false));
            NDArray after = gan.generator().generate(ps, z, null, false);
            assertThat(ema.getShape()).isEqualTo(new Shape(256, 2));
            assertThat(ema.isInfinite().any().getBoolean()).isFalse();
            assertThat(ema.sub(before).abs().max().getFloat()).isGreaterThan(1e-4f);
            assertThat(after.toFloatArray()).containsExactly(before.toFloatArray());

            // the way to sample a custom run from code: same network, EMA weights from the file
            Generator g = myGenerator();
            g.initialize(m);
            Checkpoint.loadNetwork(run.checkpointFile(), "gan", "G", g, true);
            NDArray fromFile = g.generate(new ParameterStore(m, false), z, null, false);
            assertThat(fromFile.toFloatArray()).containsExactly(ema.toFloatArray());
        }
    }
}
