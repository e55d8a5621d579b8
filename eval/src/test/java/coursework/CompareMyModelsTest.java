package coursework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.nn.Children;
import org.genlab.core.nn.LazyBlock;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.core.train.TrainingTask;
import org.genlab.datasets.ImageDataset;
import org.genlab.diffusion.nn.TimeEmbedding;
import org.genlab.diffusion.schedule.NoiseSchedule;
import org.genlab.diffusion.train.DiffusionTrainer;
import org.genlab.eval.compare.Comparison;
import org.genlab.eval.compare.ComparisonResult;
import org.genlab.eval.compare.ModelRun;
import org.genlab.gan.nn.Discriminator;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.train.GanTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A student compares a generator and a denoiser of their own with {@code Comparison}, as {@code
 * genlab compare} compares GenLab's: public API only, from outside the library's packages.
 */
class CompareMyModelsTest {

    @TempDir Path dir;

    /** My generator: z → 128 → 784 pixels. */
    static Generator myGenerator() {
        SequentialBlock body =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(128).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(28 * 28).build())
                        .add(Activation::tanh)
                        .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 1, 28, 28)));
        return Generator.builder()
                .setBody(body)
                .setLatentDim(16)
                .setSampleShape(new Shape(1, 28, 28))
                .build();
    }

    /** My denoiser: two convolutions and a time embedding. */
    static final class MyDenoiser extends LazyBlock {
        private final Block time = addChildBlock("time", Linear.builder().setUnits(8).build());
        private final Block conv1 = addChildBlock("conv1", conv(8));
        private final Block conv2 = addChildBlock("conv2", conv(1));

        private static Block conv(int filters) {
            return Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(filters)
                    .build();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray e =
                    Children.call(time, ps, training, TimeEmbedding.sinusoidal(in.get(1), 8))
                            .reshape(-1, 8, 1, 1);
            NDArray h = Activation.relu(Children.call(conv1, ps, training, in.get(0)).add(e));
            return new NDList(Children.call(conv2, ps, training, h));
        }
    }

    private static void train(TrainingTask task, NDManager m, Path run, long steps) {
        TrainingLoop.builder()
                .setTask(task)
                .setManager(m)
                .setSteps(steps)
                .setRunFolder(RunFolder.create(run))
                .optConfig(Map.of("dataset", "mnist")) // compare measures against this data set
                .optProgressBar(false)
                .build()
                .fit();
    }

    @Test
    void myGanAndMyDiffusionModelAreComparedSideBySide() throws Exception {
        ImageDataset mnist = ImageDataset.builder().setName("mnist").optLimit(512).build();
        NoiseSchedule schedule = NoiseSchedule.linear(100);
        Path myGan = dir.resolve("my-gan");
        Path myDdpm = dir.resolve("my-ddpm");
        try (NDManager m = NDManager.newBaseManager()) {
            Discriminator d =
                    Discriminator.builder()
                            .setBody(
                                    new SequentialBlock()
                                            .add(
                                                    x ->
                                                            new NDList(
                                                                    x.singletonOrThrow()
                                                                            .reshape(-1, 784)))
                                            .add(Linear.builder().setUnits(64).build())
                                            .add(Activation::relu))
                            .setSampleShape(new Shape(1, 28, 28))
                            .build();
            GanTrainer gan =
                    GanTrainer.builder()
                            .setManager(m)
                            .setGenerator(myGenerator())
                            .setDiscriminator(d)
                            .setData(BatchSource.shuffled(mnist, 32, 1))
                            .build();
            train(gan, m, myGan, 20);
            MyDenoiser net = new MyDenoiser();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
            DiffusionTrainer ddpm =
                    DiffusionTrainer.builder()
                            .setManager(m)
                            .setDenoiser(net)
                            .setSampleShape(new Shape(1, 28, 28))
                            .optSchedule(schedule)
                            .setData(BatchSource.shuffled(mnist, 16, 1))
                            .build();
            train(ddpm, m, myDdpm, 5);
        }

        // a new session: my networks rebuilt, their weights come from the run folders
        MyDenoiser denoiser = new MyDenoiser();
        try (NDManager weights = NDManager.newBaseManager()) {
            denoiser.initialize(weights, DataType.FLOAT32, new Shape(2, 1, 28, 28), new Shape(2));
            ComparisonResult result =
                    Comparison.builder()
                            .addRun(ModelRun.gan(myGan, myGenerator(), Device.cpu()))
                            .addRun(ModelRun.diffusion(myDdpm, denoiser, schedule, Device.cpu()))
                            .setOutput(dir.resolve("report"))
                            .optSamples(200)
                            .optSpeedBatch(2)
                            .optLog(System.out)
                            .build()
                            .run();
            assertThat(result.dataset()).isEqualTo("mnist");
            assertThat(result.models()).hasSize(2);
            assertThat(result.models().get(0).family()).isEqualTo("GAN");
            assertThat(result.models().get(1).family()).isEqualTo("Diffusion");
            for (ComparisonResult.Model model : result.models()) {
                assertThat(model.quality().frechet()).isFinite().isPositive();
                assertThat(model.speeds()).isNotEmpty();
            }
            assertThat(Files.list(dir.resolve("report")).count()).isGreaterThan(2);

            // the wrong network, or a different schedule, is refused in one line
            assertThatThrownBy(
                            () ->
                                    ModelRun.diffusion(
                                            myDdpm, new SequentialBlock(), schedule, Device.cpu()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining(MyDenoiser.class.getName());
            assertThatThrownBy(
                            () ->
                                    ModelRun.diffusion(
                                            myDdpm,
                                            denoiser,
                                            NoiseSchedule.linear(1000),
                                            Device.cpu()))
                    .isInstanceOf(GenLabException.class)
                    .hasMessageContaining("T = 100");
        }
    }
}
