package org.genlab.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.genlab.core.GenLabException;
import org.genlab.core.data.BatchSource;
import org.genlab.core.data.SampleSet;
import org.genlab.core.runtime.Devices;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;
import org.genlab.diffusion.flow.FlowPath;
import org.genlab.diffusion.guidance.NoisyClassifier;
import org.genlab.diffusion.guidance.NoisyClassifierTrainer;
import org.genlab.diffusion.latent.LatentDiffusion;
import org.genlab.diffusion.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code genlab train noisy-classifier}: the classifier of classifier guidance (Dhariwal &amp;
 * Nichol 2021), trained on noisy samples of a diffusion run's own path (pixels or latents), and
 * kept in the run's {@code noisy-classifier} folder.
 */
@Command(
        name = "noisy-classifier",
        mixinStandardHelpOptions = true,
        description = {
            "Train a noise-aware classifier p(y | x_t, t) for classifier guidance (Dhariwal &"
                    + " Nichol 2021) on the data and the noise path of a diffusion or flow run (on"
                    + " its latents for a latent run). It goes to RUN/noisy-classifier; then"
                    + " `genlab sample diffusion --run RUN --class 3 --classifier-scale 2`."
        })
public final class TrainNoisyClassifierCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "The diffusion run to guide.")
    Path run;

    @Option(names = "--steps", defaultValue = "1500", description = "Steps (default 1500).")
    long steps;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default 128).")
    int batch;

    @Option(names = "--width", defaultValue = "64", description = "Channels (default 64).")
    int width;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate (default 1e-3).")
    float lr;

    @Option(names = "--limit", description = "Use only the first N training items.")
    Integer limit;

    @picocli.CommandLine.Mixin Overwrite replace;

    @Option(names = "--resume", description = "Continue the classifier's checkpoint.")
    boolean resume;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        // the numbers were checked against Checks.RULES before this runs
        RunFolder diffusion = RunFolder.open(run);
        RunFolder.checkTrainable(GuidanceClassifiers.folder(run), resume, replace.overwrite);
        Map<String, String> rc = diffusion.config();
        String dataset = rc.getOrDefault("dataset", "");
        if (!dataset.matches("mnist|fashion-mnist|cifar10")) {
            throw new GenLabException(
                    "Classifier guidance needs a labelled image data set; this run trained on '"
                            + dataset
                            + "'.");
        }
        Device device = GlobalOptions.device();
        long seed = GlobalOptions.seed();
        try (NDManager m = NDManager.newBaseManager(device);
                TrainedModel model = TrainedModel.open(diffusion, m, true)) {
            Seeds.seed(seed);
            ImageDataset.Builder b =
                    ImageDataset.builder()
                            .setName(dataset)
                            .optSplit(Split.TRAIN)
                            .optLog(System.out);
            if (limit != null) {
                b.optLimit(limit);
            }
            SampleSet pixels = b.build().inMemory(m);
            Checks.batchFitsData(batch, pixels.size(), dataset + " training images");
            SampleSet data =
                    model.isLatent()
                            ? LatentDiffusion.encode(model.latentSpace(), pixels, m)
                            : pixels;
            NoisyClassifier clf =
                    GuidanceClassifiers.build(m, 10, width, 3, 32, model.sampleShape());
            NoisyClassifierTrainer.Builder tb =
                    NoisyClassifierTrainer.builder()
                            .setClassifier(clf)
                            .setData(BatchSource.shuffled(data, batch, seed))
                            .setManager(m)
                            .optLearningRate(lr);
            if (model.isFlow()) {
                tb.optFlow();
            } else {
                tb.optSchedule(model.spec().noiseSchedule());
            }
            NoisyClassifierTrainer task = tb.build();
            Map<String, String> config = new LinkedHashMap<>(task.config());
            config.put("classes", "10");
            config.put("width", Integer.toString(width));
            config.put("depth", "3");
            config.put("timeEmbedding", "32");
            config.put("diffusionRun", run.toAbsolutePath().normalize().toString());
            config.put("dataset", dataset);
            config.put("latent", Boolean.toString(model.isLatent()));
            config.put("path", model.isFlow() ? "flow" : model.spec().schedule());
            config.put("batch", Integer.toString(batch));
            config.put("device", Devices.name(device));
            RunFolder folder = RunFolder.create(GuidanceClassifiers.folder(run), config);
            TrainingLoop loop =
                    TrainingLoop.builder()
                            .setTask(task)
                            .setSteps(steps)
                            .setRunFolder(folder)
                            .setSeed(seed)
                            .setManager(m)
                            .optCheckpointEvery(Math.max(1, steps / 2))
                            .optSampleEvery(0)
                            .optResume(resume)
                            .optOverwrite(replace.overwrite)
                            .optTaskName("noisy classifier")
                            .optProgressBar(!noProgress)
                            .optConfig(config)
                            .build();
            loop.fit();
            // accuracy on held-out images at four noise levels
            ImageDataset test =
                    ImageDataset.builder()
                            .setName(dataset)
                            .optSplit(Split.TEST)
                            .optLimit(1000)
                            .build();
            SampleSet testSet = test.inMemory(m);
            int[] idx = new int[testSet.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            NDArray x = model.encode(testSet.samples(m, idx));
            NDArray y = testSet.labels(m, idx);
            StringBuilder line = new StringBuilder("Noisy classifier test accuracy:");
            int top = model.isFlow() ? FlowPath.TIME_SCALE : model.spec().steps() - 1;
            for (double f : new double[] {0, 0.25, 0.5, 0.75}) {
                int t = (int) Math.round(f * top);
                float acc = task.accuracy(x, y, t);
                config.put(
                        String.format(Locale.ROOT, "testAccuracy.t%04d", t), Float.toString(acc));
                line.append(String.format(Locale.ROOT, " t=%d %.1f %%;", t, 100 * acc));
            }
            folder.mergeConfig(config);
            System.out.println(line + " saved in " + folder.dir());
        }
        return 0;
    }
}
