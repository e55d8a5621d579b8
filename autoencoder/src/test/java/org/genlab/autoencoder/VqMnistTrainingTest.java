package org.genlab.autoencoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genlab.autoencoder.bottleneck.Bottleneck;
import org.genlab.autoencoder.bottleneck.VqBottleneck;
import org.genlab.autoencoder.train.AutoencoderTrainer;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short VQ-VAE run on real MNIST: the reconstruction loss falls, most of the codebook is in use,
 * and the saved run loads as a {@link LatentSpace} whose model turns images into 7×7 tokens.
 */
class VqMnistTrainingTest {

    @TempDir Path tmp;

    @Test
    void shortRunLearnsAndUsesTheCodebook() {
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(4096).build();
        Path dir = tmp.resolve("vq");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(5);
            SampleSet data = mnist.inMemory(m);
            Autoencoder ae =
                    Autoencoder.builder()
                            .setImageShape(new Shape(1, 28, 28))
                            .optBottleneck(Bottleneck.vq(64))
                            .build()
                            .initialize(m);
            VqBottleneck vq = (VqBottleneck) ae.bottleneck();
            // e initialised U(−1/K, 1/K)
            assertThat(vq.codebook().abs().max().getFloat()).isLessThanOrEqualTo(1f / 64);
            AutoencoderTrainer trainer =
                    AutoencoderTrainer.builder()
                            .setModel(ae)
                            .setData(BatchSource.shuffled(data, 64, 5))
                            .setManager(m)
                            .build();
            RunFolder run = RunFolder.create(dir);
            LossHistory h =
                    TrainingLoop.builder()
                            .setTask(trainer)
                            .setSteps(300)
                            .setRunFolder(run)
                            .setSeed(5)
                            .setManager(m)
                            .optLogEvery(10)
                            .optSampleEvery(300)
                            .optConfig(Map.of("dataset", "mnist"))
                            .optProgressBar(false)
                            .optOutput(new PrintStream(new ByteArrayOutputStream()))
                            .build()
                            .fit();
            List<Float> rec = h.series("recon");
            List<Float> usage = h.series(VqBottleneck.USAGE);
            List<Float> perplexity = h.series(VqBottleneck.PERPLEXITY);
            System.out.println(
                    "vq mnist recon "
                            + rec
                            + "\n usage "
                            + usage
                            + "\n perplexity "
                            + perplexity
                            + "\n restarts "
                            + vq.restarts());
            assertThat(h.series(VqBottleneck.CODEBOOK)).isNotEmpty();
            assertThat(h.series(VqBottleneck.COMMITMENT)).isNotEmpty();
            // from ≈ 0.5 (the mean image) to well below: the digits' shapes are learnt
            assertThat(rec.get(rec.size() - 1)).isLessThan(0.5f * rec.get(0));
            // the restarts keep most codes in use
            assertThat(usage.get(usage.size() - 1)).isGreaterThan(0.6f);
            assertThat(perplexity.get(perplexity.size() - 1)).isGreaterThan(16f);
            trainer.recordLatentScale(run, data, 1024);
            assertThat(run.config())
                    .containsEntry("autoencoder.bottleneck", "vq")
                    .containsEntry("autoencoder.codebookSize", "64");
        }

        try (LatentSpace ls = LatentSpace.load(dir, Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            assertThat(ls.model().bottleneck()).isInstanceOf(VqBottleneck.class);
            NDArray x = mnist.samples(m, new int[] {0, 1, 2, 3});
            ParameterStore ps = new ParameterStore(m, false);
            NDArray tokens = ls.model().tokens(ps, x);
            assertThat(tokens.getShape()).isEqualTo(new Shape(4, 7, 7));
            NDArray back = ls.model().decodeTokens(ps, tokens);
            assertThat(Reconstructions.psnr(x, back)).isGreaterThan(12);
            assertThat(Reconstructions.psnr(x, ls.decode(ls.encode(x)))).isGreaterThan(12);
        }
    }
}
