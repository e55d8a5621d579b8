package org.genlab.eval.classifier;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.checkpoint.TrainState;
import org.genlab.core.data.Batches;
import org.genlab.core.ema.Ema;
import org.genlab.core.nn.Gradients;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.optim.Adam;
import org.genlab.core.runtime.Seeds;
import org.genlab.core.train.Losses;
import org.genlab.core.train.RunFolder;
import org.genlab.core.train.TrainingLoop;
import org.genlab.core.train.TrainingTask;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;

/**
 * A classifier trained by GenLab on one data set, used to measure samples of that data set: its
 * feature vectors feed the Fréchet distance and precision/recall, its class probabilities the class
 * coverage.
 *
 * <pre>{@code
 * try (FeatureClassifier clf = FeatureClassifier.obtain("mnist", dataDir, device, System.out)) {
 *     double[][] f = clf.features(samples);          // (N, 84) LeNet features
 *     System.out.println(clf.testAccuracy());        // e.g. 0.991
 * }
 * }</pre>
 *
 * <p>The first call trains it with a progress bar and caches it in {@code DATA/classifiers/NAME/},
 * with its test-set accuracy; later calls load it. On 2 CPU cores the MNIST and Fashion-MNIST
 * LeNets take minutes, the CIFAR-10 CNN about 50 minutes (86.5 % test accuracy); {@code genlab
 * classifier cifar10} trains it ahead of a lab.
 */
public final class FeatureClassifier implements AutoCloseable {

    /** Training recipe per data set: architecture, epochs, target accuracy. */
    private record Recipe(String arch, int epochs, float lr, double target) {}

    private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

    static {
        RECIPES.put("mnist", new Recipe("lenet", 6, 2e-3f, 0.990));
        RECIPES.put("fashion-mnist", new Recipe("lenet", 8, 2e-3f, 0.90));
        RECIPES.put("cifar10", new Recipe("smallvgg", 30, 1e-3f, 0.80));
    }

    /** The data sets that have a classifier, in the order GenLab lists them. */
    public static final List<String> DATASETS = List.copyOf(RECIPES.keySet());

    /**
     * What is known of one data set's classifier without loading it.
     *
     * @param dataset the data set
     * @param arch {@code lenet} or {@code smallvgg}
     * @param epochs the epochs of its training recipe
     * @param target the test accuracy it is meant to reach
     * @param dir where it is (or will be) cached
     * @param accuracy its measured test accuracy; empty while it is not trained
     */
    public record Status(
            String dataset,
            String arch,
            int epochs,
            double target,
            Path dir,
            OptionalDouble accuracy) {

        /**
         * Tells whether the classifier is trained and cached.
         *
         * @return true once it is
         */
        public boolean trained() {
            return accuracy.isPresent();
        }
    }

    private static final int BATCH = 128;

    private static final String ACCURACY_FILE = "accuracy.properties";

    private final String dataset;
    private final NDManager manager;
    private final ClassifierNet net;
    private final ParameterStore ps;
    private final double accuracy;
    private final Device device;

    private FeatureClassifier(
            String dataset, NDManager manager, ClassifierNet net, double accuracy, Device device) {
        this.dataset = dataset;
        this.manager = manager;
        this.net = net;
        this.ps = new ParameterStore(manager, false);
        this.accuracy = accuracy;
        this.device = device;
    }

    /**
     * Loads the cached classifier for a data set, training it first if there is none.
     *
     * @param dataset {@code mnist}, {@code fashion-mnist} or {@code cifar10}
     * @param dataDir the data cache (the classifier is stored under {@code classifiers/}); null for
     *     the default
     * @param device where to run it
     * @param log where to print progress
     * @return the classifier
     */
    public static FeatureClassifier obtain(
            String dataset, Path dataDir, Device device, PrintStream log) {
        if (dataDir == null) {
            dataDir = org.genlab.core.GenLabHome.dataDir();
        }
        Recipe recipe = recipe(dataset);
        Status cached = status(dataset, dataDir);
        Path dir = cached.dir();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            ImageDataset test =
                    ImageDataset.builder()
                            .setName(dataset)
                            .optSplit(Split.TEST)
                            .optDataDir(dataDir)
                            .build();
            ClassifierNet net = build(recipe, test, manager);
            String model = "classifier-" + dataset + "-" + recipe.arch();
            double acc;
            if (cached.trained()) {
                Checkpoint.loadNetwork(dir.resolve(Checkpoint.FILE_NAME), model, "net", net, true);
                acc = cached.accuracy().getAsDouble();
            } else {
                log.printf(
                        Locale.ROOT,
                        "Training the %s feature classifier (%s, %d epochs) once; it is cached in %s%n",
                        dataset,
                        recipe.arch(),
                        recipe.epochs(),
                        dir);
                train(recipe, dataset, dataDir, net, manager, model, dir);
                FeatureClassifier tmp = new FeatureClassifier(dataset, manager, net, 0, device);
                acc = tmp.accuracyOn(test);
                Properties p = new Properties();
                p.setProperty("test.accuracy", Double.toString(acc));
                p.setProperty("test.images", Integer.toString(test.size()));
                p.setProperty("target", Double.toString(recipe.target()));
                java.io.StringWriter w = new java.io.StringWriter();
                p.store(w, "Accuracy of the " + model + " classifier on the test split");
                AtomicFiles.writeString(dir.resolve(ACCURACY_FILE), w.toString());
                log.printf(
                        Locale.ROOT,
                        "Test accuracy of the %s classifier: %.2f %% (target %.0f %%)%n",
                        dataset,
                        100 * acc,
                        100 * recipe.target());
            }
            return new FeatureClassifier(dataset, manager, net, acc, device);
        } catch (IOException e) {
            manager.close();
            throw new GenLabException("Cannot write the classifier's accuracy to " + dir, e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Tells whether a data set's classifier is trained, and how well, without loading it.
     *
     * @param dataset {@code mnist}, {@code fashion-mnist} or {@code cifar10}
     * @param dataDir the data cache; null for the default
     * @return its status
     */
    public static Status status(String dataset, Path dataDir) {
        if (dataDir == null) {
            dataDir = org.genlab.core.GenLabHome.dataDir();
        }
        Recipe recipe = recipe(dataset);
        Path dir = dataDir.resolve("classifiers").resolve(dataset + "-" + recipe.arch());
        Path accFile = dir.resolve(ACCURACY_FILE);
        OptionalDouble acc = OptionalDouble.empty();
        if (Files.isRegularFile(accFile)
                && Files.isRegularFile(dir.resolve(Checkpoint.FILE_NAME))) {
            try {
                acc =
                        OptionalDouble.of(
                                Double.parseDouble(read(accFile).getProperty("test.accuracy")));
            } catch (IOException | RuntimeException e) {
                // unreadable: obtain() resumes the training from its checkpoint (nothing left to
                // do when it is complete) and measures the accuracy again
                acc = OptionalDouble.empty();
            }
        }
        return new Status(dataset, recipe.arch(), recipe.epochs(), recipe.target(), dir, acc);
    }

    private static Recipe recipe(String dataset) {
        Recipe recipe = RECIPES.get(dataset);
        if (recipe == null) {
            throw new GenLabException(
                    "No feature classifier for '"
                            + dataset
                            + "': GenLab measures mnist, fashion-mnist and cifar10 samples.");
        }
        return recipe;
    }

    private static ClassifierNet build(Recipe recipe, ImageDataset like, NDManager manager) {
        Seeds.seed(7);
        ClassifierNet net =
                "lenet".equals(recipe.arch())
                        ? ClassifierNet.lenet(like.numClasses())
                        : ClassifierNet.smallVgg(like.numClasses());
        net.initialize(
                manager,
                DataType.FLOAT32,
                new Shape(1, like.channels(), like.height(), like.width()));
        return net;
    }

    private static void train(
            Recipe recipe,
            String dataset,
            Path dataDir,
            ClassifierNet net,
            NDManager manager,
            String model,
            Path dir) {
        ImageDataset train =
                ImageDataset.builder()
                        .setName(dataset)
                        .optSplit(Split.TRAIN)
                        .optDataDir(dataDir)
                        .optRandomFlip("cifar10".equals(dataset))
                        .build();
        Adam adam = Adam.builder().optLearningRate(recipe.lr()).build();
        Ema ema = Ema.builder().setBlock(net).optDecay(0.998f).build();
        TrainState state =
                TrainState.builder().setModel(model).addNetwork("net", net, adam, ema).build();
        Batches batches = new Batches(train.size(), BATCH, 7);
        ParameterStore ps = new ParameterStore(manager, false);
        long steps = batches.stepsPerEpoch() * recipe.epochs();
        TrainingTask task =
                new TrainingTask() {
                    @Override
                    public Losses step(long step, NDManager m) {
                        // α falls by cosine from its start to 1/20 of it over the run
                        double progress = step / (double) steps;
                        adam.setLearningRate(
                                (float)
                                        (recipe.lr()
                                                * (0.05
                                                        + 0.95
                                                                * 0.5
                                                                * (1
                                                                        + Math.cos(
                                                                                Math.PI
                                                                                        * progress)))));
                        int[] idx = batches.indices(step);
                        NDArray x = train.images(m, idx);
                        NDArray y = train.labels(m, idx).toType(DataType.INT32, false);
                        NDArray loss;
                        NDArray correct;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            Gradients.zero(net);
                            NDArray logits =
                                    net.forward(ps, new NDList(x), true).singletonOrThrow();
                            NDArray logp = logits.logSoftmax(1);
                            loss =
                                    logp.mul(y.oneHot((int) logits.getShape().get(1)))
                                            .sum(new int[] {1})
                                            .neg()
                                            .mean();
                            gc.backward(loss);
                            correct =
                                    logits.argMax(1)
                                            .toType(DataType.INT32, false)
                                            .eq(y)
                                            .toType(DataType.FLOAT32, false)
                                            .mean();
                        }
                        adam.step(net);
                        ema.update();
                        return new Losses().put("loss", loss).put("acc", correct);
                    }

                    @Override
                    public TrainState state() {
                        return state;
                    }
                };
        Map<String, String> config = new LinkedHashMap<>();
        config.put("dataset", dataset);
        config.put("arch", recipe.arch());
        config.put("epochs", Integer.toString(recipe.epochs()));
        config.put("batch", Integer.toString(BATCH));
        RunFolder run = RunFolder.create(dir, config);
        TrainingLoop.builder()
                .setTask(task)
                .setSteps(steps)
                .setRunFolder(run)
                .setSeed(7)
                .setManager(manager)
                .optLogEvery(50)
                .optCheckpointEvery(batches.stepsPerEpoch())
                .optResume(true)
                .optConfig(config)
                .optTaskName(dataset + " classifier")
                .build()
                .fit();
        ema.copyTo(net); // the averaged weights classify a little better than the last ones
    }

    /**
     * Returns the test accuracy this classifier's recipe aims at (99 % on MNIST, 90 % on
     * Fashion-MNIST, 80 % on CIFAR-10).
     *
     * @return the target share of test images classified correctly
     */
    public double target() {
        return RECIPES.get(dataset).target();
    }

    /**
     * Returns the accuracy on the data set's test split, measured when the classifier was trained.
     *
     * @return the share of test images classified correctly
     */
    public double testAccuracy() {
        return accuracy;
    }

    /**
     * Names the distance measured in this classifier's feature space.
     *
     * @return e.g. {@code Fréchet LeNet Distance}
     */
    public String distanceName() {
        return lenet() ? "Fréchet LeNet Distance" : "Fréchet CNN Distance";
    }

    /**
     * Abbreviates {@link #distanceName()}.
     *
     * @return {@code FLD} (LeNet) or {@code FCD} (the CIFAR-10 CNN)
     */
    public String distanceAbbreviation() {
        return lenet() ? "FLD" : "FCD";
    }

    private boolean lenet() {
        return "lenet".equals(RECIPES.get(dataset).arch());
    }

    /**
     * Returns the length of the feature vectors the metrics use.
     *
     * @return 84 for the LeNet, 256 for the CIFAR-10 CNN
     */
    public int featureDim() {
        return net.featureDim();
    }

    /**
     * Returns the data set this classifier was trained on.
     *
     * @return e.g. {@code mnist}
     */
    public String dataset() {
        return dataset;
    }

    /**
     * Computes feature vectors in batches.
     *
     * @param images {@code (N, C, H, W)} in [-1, 1], on any device
     * @return one feature row per image
     */
    public double[][] features(NDArray images) {
        return run(images, true);
    }

    /**
     * Computes class probabilities in batches.
     *
     * @param images {@code (N, C, H, W)} in [-1, 1], on any device
     * @return one row of class probabilities per image
     */
    public double[][] probabilities(NDArray images) {
        return run(images, false);
    }

    /**
     * Measures accuracy on a labelled data set.
     *
     * @param data the data
     * @return the share classified correctly
     */
    public double accuracyOn(ImageDataset data) {
        int correct = 0;
        for (int from = 0; from < data.size(); from += 500) {
            int n = Math.min(500, data.size() - from);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = from + i;
            }
            try (NDManager sub = manager.newSubManager()) {
                double[][] p = probabilities(data.images(sub, idx));
                for (int i = 0; i < n; i++) {
                    if (argMax(p[i]) == data.label(from + i)) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) data.size();
    }

    private double[][] run(NDArray images, boolean features) {
        try (NoGrad scope = NoGrad.enter()) {
            return forward(images, features);
        }
    }

    private double[][] forward(NDArray images, boolean features) {
        long n = images.getShape().get(0);
        double[][] out = new double[(int) n][];
        for (long from = 0; from < n; from += 500) {
            long to = Math.min(n, from + 500);
            try (NDManager sub = manager.newSubManager()) {
                sub.tempAttachAll(images); // slices made now are freed with sub
                NDArray x = images.get(new NDIndex("{}:{}", from, to)).toDevice(device, false);
                NDArray y =
                        features
                                ? net.features(ps, new NDList(x), false).singletonOrThrow()
                                : net.forward(ps, new NDList(x), false)
                                        .singletonOrThrow()
                                        .softmax(1);
                float[] flat = y.toFloatArray();
                int d = (int) y.getShape().get(1);
                for (int i = 0; i < to - from; i++) {
                    double[] row = new double[d];
                    for (int j = 0; j < d; j++) {
                        row[j] = flat[i * d + j];
                    }
                    out[(int) from + i] = row;
                }
            }
        }
        return out;
    }

    private static int argMax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        return p;
    }

    @Override
    public void close() {
        manager.close();
    }
}
