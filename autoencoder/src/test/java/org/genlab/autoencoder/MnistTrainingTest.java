package org.genlab.autoencoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genlab.autoencoder.train.AutoencoderTrainer;
import org.genlab.core.GenLabException;
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
 * A short run on real MNIST: the reconstruction loss falls, the run records latent.scale, and
 * {@link LatentSpace} loads it and gives latents of about unit variance.
 */
class MnistTrainingTest {

    @TempDir Path tmp;

    @Test
    void shortRunLearnsAndTheLatentSpaceHasUnitVariance() {
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(4096).build();
        Path dir = tmp.resolve("ae");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(3);
            SampleSet data = mnist.inMemory(m);
            Autoencoder ae =
                    Autoencoder.builder().setImageShape(new Shape(1, 28, 28)).build().initialize(m);
            AutoencoderTrainer trainer =
                    AutoencoderTrainer.builder()
                            .setModel(ae)
                            .setData(BatchSource.shuffled(data, 64, 3))
                            .setManager(m)
                            .build();
            RunFolder run = RunFolder.create(dir);
            LossHistory h =
                    TrainingLoop.builder()
                            .setTask(trainer)
                            .setSteps(100)
                            .setRunFolder(run)
                            .setSeed(3)
                            .setManager(m)
                            .optLogEvery(10)
                            .optSampleEvery(100)
                            .optConfig(Map.of("dataset", "mnist"))
                            .optProgressBar(false)
                            .optOutput(new PrintStream(new ByteArrayOutputStream()))
                            .build()
                            .fit();
            List<Float> rec = h.series("recon");
            System.out.println("autoencoder mnist recon " + rec + " kl " + h.series("kl"));
            // from ≈ 0.5 (the mean image) to well below: the digits' shapes are learnt
            assertThat(rec.get(rec.size() - 1)).isLessThan(0.4f * rec.get(0));
            assertThat(run.samplesDir().resolve("step-0000100.png")).isRegularFile();
            float s = trainer.recordLatentScale(run, data, 2048);
            assertThat(run.config()).containsEntry("latent.scale", Float.toString(s));
        }

        try (LatentSpace ls = LatentSpace.load(dir, Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            assertThat(ls.imageShape()).isEqualTo(new Shape(1, 28, 28));
            assertThat(ls.latentShape()).isEqualTo(new Shape(4, 7, 7));
            assertThat(ls.dataset()).isEqualTo("mnist");
            assertThat(ls.runDir()).isEqualTo(dir);
            int[] idx = new int[600];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = 6 * i; // spread over the 4096 images the scale was measured on
            }
            NDArray x = mnist.samples(m, idx);
            NDArray z = ls.encode(x);
            assertThat(z.getShape()).isEqualTo(new Shape(600, 4, 7, 7));
            assertThat(z.getManager()).isSameAs(m);
            float mean = z.mean().getFloat();
            float std = (float) Math.sqrt(z.sub(mean).square().mean().getFloat());
            // s = 1 / std(μ): the scaled latents have unit variance
            assertThat(std).isCloseTo(1f, within(0.1f));
            NDArray back = ls.decode(z);
            assertThat(back.getShape()).isEqualTo(x.getShape());
            assertThat(back.max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(back.min().getFloat()).isGreaterThanOrEqualTo(-1f);
            assertThat(Reconstructions.psnr(x, back)).isGreaterThan(12);
            assertThatThrownBy(() -> ls.encode(m.zeros(new Shape(2, 3, 32, 32))))
                    .isInstanceOf(GenLabException.class)
                    .hasMessage(
                            "LatentSpace.encode takes (B, 1, 28, 28) images, got (2, 3, 32, 32).");
            assertThatThrownBy(() -> ls.decode(m.zeros(new Shape(2, 4, 8, 8))))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageNotContaining("\n");
        }
    }
}
