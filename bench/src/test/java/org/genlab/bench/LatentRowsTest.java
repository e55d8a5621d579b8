package org.genlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genlab.bench.work.AutoencoderTraining;
import org.genlab.bench.work.DdpmTraining;
import org.genlab.bench.work.ImageShape;
import org.genlab.bench.work.LatentSampling;
import org.genlab.bench.work.TrainingWork;
import org.junit.jupiter.api.Test;

/**
 * The rows of the autoencoder and of latent flow matching: their ids, their shapes, that a step
 * leaves no arrays behind, and the parameter counts that {@code bench/reference/models.py} must
 * match (the reference prints its own; a change of GenLab's networks fails here first, as a
 * reminder to change the reference too).
 */
class LatentRowsTest {

    private static BenchSettings settings(List<String> rows) {
        return new BenchSettings(
                rows,
                List.of("mnist"),
                List.of(128),
                16,
                1,
                1,
                0,
                10,
                64,
                "cpu",
                0,
                List.of(),
                "256m",
                2,
                Path.of("unused"),
                true,
                1);
    }

    @Test
    void planListsTheNewRowsWithTheirShapes() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<Benchmark.Planned> plan =
                new Benchmark(
                                settings(
                                        List.of(
                                                "train/autoencoder",
                                                "train/latent-flow",
                                                "sample/flow-euler-50",
                                                "sample/latent-flow-euler-50")),
                                Device.cpu(),
                                quiet)
                        .plan();
        assertThat(plan)
                .extracting(Benchmark.Planned::id)
                .containsExactly(
                        "train/autoencoder/mnist/b128",
                        "train/latent-flow/mnist/b128",
                        "sample/flow-euler-50/mnist/b16",
                        "sample/latent-flow-euler-50/mnist/b16");
        assertThat(plan)
                .extracting(p -> p.shape().dims())
                .containsExactly("1x28x28", "4x7x7", "1x28x28", "4x7x7");
    }

    @Test
    void autoencoderStepLeavesNoArraysAndHasTheReferencesParameterCount() {
        try (AutoencoderTraining w =
                new AutoencoderTraining(Device.cpu(), ImageShape.MNIST, 4, 1)) {
            assertNoGrowth(w);
            assertThat(w.parameters())
                    .as("bench/reference/models.py KlAutoencoder(1, 4, 32) has 145,865")
                    .isEqualTo(Map.of("autoencoder", 145_865L));
        }
    }

    @Test
    void latentFlowStepLeavesNoArraysAndHasTheReferencesParameterCount() {
        ImageShape latent = ImageShape.MNIST.latent(4);
        try (DdpmTraining w =
                new DdpmTraining(Device.cpu(), DdpmTraining.latentFlowSpec(latent), 4, 1)) {
            assertNoGrowth(w);
            assertThat(w.parameters())
                    .as("bench/reference/models.py unet_preset('latent', 4, 7) has 957,508")
                    .isEqualTo(Map.of("unet", 957_508L));
        }
    }

    @Test
    void latentSamplingRuns() {
        try (LatentSampling s = new LatentSampling(Device.cpu(), ImageShape.MNIST, 1)) {
            assertThat(s.latent().dims()).isEqualTo("4x7x7");
            s.work(2, 2).run(0, true);
            assertThat(s.parameters()).containsEntry("unet", 957_508L);
        }
    }

    private static void assertNoGrowth(TrainingWork w) {
        long step = 0;
        for (int i = 0; i < 3; i++) {
            w.run(step++, true);
        }
        int before = w.manager().getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
            w.run(step++, true);
        }
        assertThat(w.manager().getManagedArrays().size())
                .as("arrays in the long-lived manager after 3 more steps")
                .isEqualTo(before);
    }
}
