package coursework;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.gan.GanModels;
import org.genlab.gan.loss.GanLoss;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.train.GanTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exercise 3: my own loss, the relativistic standard GAN, with GenLab's MLP networks. */
class CustomLossTest {

    @TempDir Path dir;

    /**
     * RSGAN (Jolicoeur-Martineau, ICLR 2019): D judges whether a real sample looks more real than a
     * generated one, L_D = −log σ(r − f), L_G = −log σ(f − r).
     */
    static final class Rsgan extends GanLoss {
        /** What G's loss received as real logits, per G step: {rows, 1 if they differ from f}. */
        final List<long[]> realSeen = new ArrayList<>();

        Rsgan() {
            super("rsgan");
        }

        @Override
        public NDArray discriminatorLoss(NDArray real, NDArray fake) {
            return Activation.softPlus(fake.sub(real)).mean(); // −log σ(r − f)
        }

        @Override
        public NDArray generatorLoss(NDArray real, NDArray fake) {
            realSeen.add(
                    real == null
                            ? new long[] {-1, 0}
                            : new long[] {
                                real.getShape().get(0),
                                real.sub(fake).abs().max().getFloat() > 0 ? 1 : 0
                            });
            return Activation.softPlus(real.sub(fake)).mean(); // −log σ(f − r)
        }

        @Override
        public boolean generatorUsesReal() {
            return true;
        }
    }

    static final GanModels MODELS = new GanModels("mlp", new Shape(2), 0, 8, 64, false);

    @Test
    void theGeneratorSeesRealLogitsAndTheRunResumes() {
        RunFolder run = RunFolder.create(dir.resolve("rsgan"));
        Rsgan loss = new Rsgan();
        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan = Session.trainer(m).optModels(MODELS).optLoss(loss).build();
            Session.fit(gan, m, run, 10);
        }
        // every G step got D's logits on the real batch of 64 (not the fake ones again)
        assertThat(loss.realSeen).hasSize(10).allMatch(s -> s[0] == 64 && s[1] == 1);
        // GenLab's own networks: the run folder holds the settings that rebuild them
        assertThat(run.config())
                .containsEntry("gan.model", "mlp")
                .containsEntry("gan.width", "64")
                .doesNotContainKey("gan.generator");

        try (NDManager m = NDManager.newBaseManager()) {
            GanTrainer gan = Session.trainer(m).optModels(MODELS).optLoss(new Rsgan()).build();
            LossHistory history = Session.fit(gan, m, run, 20);
            assertThat(history.steps()).containsExactly(5L, 10L, 15L, 20L);
            assertThat(history.series("G")).hasSize(4).allMatch(Float::isFinite);

            // samples from the EMA, and the same samples from the rebuilt network and its file
            ParameterStore ps = gan.parameterStore();
            NDArray z = m.randomNormal(new Shape(64, 8));
            NDArray ema =
                    gan.withSamplingWeights(() -> gan.generator().generate(ps, z, null, false));
            Generator g = GanModels.fromConfig(run.config()).newGenerator();
            g.initialize(m);
            Checkpoint.loadNetwork(run.checkpointFile(), MODELS.kind(), "G", g, true);
            assertThat(g.generate(ps, z, null, false).toFloatArray())
                    .containsExactly(ema.toFloatArray());
        }
    }
}
