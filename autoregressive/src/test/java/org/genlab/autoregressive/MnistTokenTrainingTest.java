package org.genlab.autoregressive;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.autoencoder.bottleneck.Bottleneck;
import org.genlab.autoencoder.train.AutoencoderTrainer;
import org.genlab.autoregressive.nn.TokenTransformer;
import org.genlab.autoregressive.sample.TokenSampler;
import org.genlab.autoregressive.train.TokenTransformerTrainer;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.image.PngWriter;
import org.genlab.core.image.Provenance;
import org.genlab.core.image.SampleGrid;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;
import org.genlab.datasets.ImageDataset;
import org.junit.jupiter.api.Test;

/**
 * DALL-E in miniature on real MNIST, short: a VQ autoencoder (K = 64) trained briefly turns 4096
 * digits into 7×7 token sequences once, a class-conditional transformer learns them, and sampled
 * token grids decode to digits ({@code target/mnist-token-samples.png}, one row per class).
 */
class MnistTokenTrainingTest {

    @Test
    void tokensOfRealDigitsAreLearntAndSampled() throws Exception {
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(4096).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seed(5);
            SampleSet images = mnist.inMemory(m);
            Autoencoder vq =
                    Autoencoder.builder()
                            .setImageShape(new Shape(1, 28, 28))
                            .optBottleneck(Bottleneck.vq(64))
                            .build()
                            .initialize(m);
            AutoencoderTrainer aeTrainer =
                    AutoencoderTrainer.builder()
                            .setModel(vq)
                            .setData(BatchSource.shuffled(images, 64, 5))
                            .setManager(m)
                            .optEmaDecay(0)
                            .build();
            long t0 = System.nanoTime();
            for (int step = 0; step < 300; step++) {
                Seeds.seed(Seeds.forStep(5, step));
                try (NDManager sub = m.newSubManager()) {
                    aeTrainer.step(step, sub);
                }
            }
            long t1 = System.nanoTime();

            // z = tokens of every image, once: (4096, 49) int64 with the labels
            SampleSet tokens = ImageTokens.encode(vq, images, m);
            assertThat(tokens.size()).isEqualTo(4096);
            assertThat(tokens.samples(m, new int[] {0}).getShape()).isEqualTo(new Shape(1, 49));

            TokenTransformer net =
                    TokenTransformer.builder()
                            .setCodes(64)
                            .optClasses(10)
                            .optDim(64)
                            .optLayers(2)
                            .optHeads(4)
                            .build();
            TokenTransformerTrainer trainer =
                    TokenTransformerTrainer.builder()
                            .setModel(net)
                            .setData(BatchSource.shuffled(tokens, 64, 6))
                            .setManager(m)
                            .optDecoder(vq)
                            .optSampleColumns(4)
                            .build();
            List<Float> nll = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                Seeds.seed(Seeds.forStep(6, step));
                try (NDManager sub = m.newSubManager()) {
                    nll.add(trainer.step(step, sub).toFloats().get("nll"));
                }
            }
            long t2 = System.nanoTime();
            double last = nll.subList(280, 300).stream().mapToDouble(f -> f).average().orElse(0);

            ParameterStore ps = new ParameterStore(m, false);
            long[] classes = new long[40];
            for (int i = 0; i < 40; i++) {
                classes[i] = i / 4;
            }
            Seeds.seed(8);
            NDArray grid;
            long t3 = System.nanoTime();
            try (NoGrad scope = NoGrad.enter()) {
                grid =
                        TokenSampler.builder()
                                .setModel(net)
                                .optTopK(16)
                                .build()
                                .sample(ps, net.conditionTokens(m.create(classes)));
            }
            long t4 = System.nanoTime();
            assertThat(grid.getShape()).isEqualTo(new Shape(40, 7, 7));
            NDArray x;
            try (NoGrad scope = NoGrad.enter()) {
                x = vq.decodeTokens(ps, grid);
            }
            Path png = Path.of("target", "mnist-token-samples.png");
            Files.createDirectories(png.getParent());
            PngWriter.write(
                    SampleGrid.builder().setImages(x).optColumns(8).optScale(2).build().render(),
                    png,
                    Provenance.builder().optModel(net.toString()).build());
            System.out.printf(
                    "mnist tokens: vq 300 steps %.1f s; transformer 300 steps %.1f s, nll first %.3f,"
                            + " last-20 mean %.3f (log K = %.3f); 40 samples in %.2f s -> %s%n",
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9,
                    nll.get(0),
                    last,
                    Math.log(64),
                    (t4 - t3) / 1e9,
                    png.toAbsolutePath());
            trainer.writeSamples(300, png.getParent());
            assertThat(png.getParent().resolve("step-0000300.png")).exists();
            assertThat(nll.get(0)).isGreaterThan(3.5f);
            assertThat(last).isLessThan(0.8 * nll.get(0));
        }
    }
}
