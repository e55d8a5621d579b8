package org.genlab.eval.compare;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.gan.GanModels;
import org.genlab.gan.nn.Generator;
import org.genlab.gan.sample.GanSampler;

/** A GAN run: its generator (EMA weights when the run kept them) is its one sampler. */
final class GanRun implements ModelRun {

    private final RunFolder folder;
    private final NDManager manager;
    private final GanSampler sampler;
    private final Checkpoint checkpoint;
    private final String dataset;
    private final Generator generator;

    private GanRun(
            RunFolder folder,
            NDManager manager,
            Generator generator,
            GanSampler sampler,
            Checkpoint cp) {
        this.folder = folder;
        this.generator = generator;
        this.manager = manager;
        this.sampler = sampler;
        this.checkpoint = cp;
        this.dataset = folder.config().getOrDefault("dataset", "?");
    }

    static GanRun open(RunFolder folder, Device device) {
        Map<String, String> config = folder.config();
        GanModels models = GanModels.fromConfig(config);
        NDManager m = NDManager.newBaseManager(device);
        try {
            Generator g = models.newGenerator();
            g.initialize(m);
            Checkpoint cp =
                    Checkpoint.loadNetwork(folder.checkpointFile(), models.kind(), "G", g, true);
            GanSampler s =
                    GanSampler.builder()
                            .setGenerator(g)
                            .optModelName(models.kind())
                            .optRunName(folder.dir().getFileName().toString())
                            .build();
            return new GanRun(folder, m, g, s, cp);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Opens the run of a generator GenLab cannot rebuild (a body of your own): you pass the
     * generator, built as for training; its EMA weights are loaded from the run's checkpoint.
     */
    static GanRun custom(RunFolder folder, Generator g, Device device) {
        Map<String, String> config = folder.config();
        Runs.checkClass(folder, config.get("gan.generator"), g.body(), "generator body");
        String kind = config.getOrDefault("gan.kind", "gan");
        NDManager m = NDManager.newBaseManager(device);
        try {
            if (!g.isInitialized()) {
                g.initialize(m);
            }
            Checkpoint cp = Checkpoint.loadNetwork(folder.checkpointFile(), kind, "G", g, true);
            GanSampler s =
                    GanSampler.builder()
                            .setGenerator(g)
                            .optModelName(kind)
                            .optRunName(folder.dir().getFileName().toString())
                            .build();
            return new GanRun(folder, m, g, s, cp);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return folder.dir().getFileName().toString();
    }

    @Override
    public String family() {
        return "GAN";
    }

    @Override
    public String dataset() {
        return dataset;
    }

    @Override
    public RunFolder folder() {
        return folder;
    }

    @Override
    public long steps() {
        return checkpoint.getStep();
    }

    @Override
    public LossHistory history() {
        return checkpoint.getHistory();
    }

    @Override
    public SampleSource qualitySampler() {
        return SampleSources.gan(sampler);
    }

    @Override
    public ConditionalSource conditionalSampler() {
        if (!generator.isConditional()) {
            return null;
        }
        return new ConditionalSource() {
            @Override
            public String label() {
                return "GAN";
            }

            @Override
            public int numClasses() {
                return generator.numClasses();
            }

            @Override
            public NDArray sample(NDManager m, NDArray labels) {
                return sampler.sample(m, (int) labels.size(), labels, 0);
            }
        };
    }

    @Override
    public List<SampleSource> speedSamplers() {
        return List.of(qualitySampler());
    }

    @Override
    public void close() {
        manager.close();
    }
}
