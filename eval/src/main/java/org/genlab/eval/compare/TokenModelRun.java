package org.genlab.eval.compare;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.train.LossHistory;
import org.genlab.core.train.RunFolder;
import org.genlab.eval.prompt.PromptDrawer;
import org.genlab.eval.prompt.TokenPrompts;
import org.genlab.pipelines.tokens.Sampling;
import org.genlab.pipelines.tokens.TokenRun;

/**
 * An autoregressive token run ({@code genlab train autoregressive}): quality is measured on
 * unconditional draws (the null prefix: no class, the empty caption), control with classifier-free
 * guidance, prompts for text runs. Its speed is honest about the sequence: one network pass per
 * image token (49 for MNIST's 7×7 grid, with the key/value cache), then one VQ decoding.
 */
final class TokenModelRun implements ModelRun {

    private final RunFolder folder;
    private final NDManager manager;
    private final TokenRun run;
    private final LossHistory history;
    private long draws;

    private TokenModelRun(RunFolder folder, NDManager manager, TokenRun run) {
        this.folder = folder;
        this.manager = manager;
        this.run = run;
        this.history = Checkpoint.inspect(folder.checkpointFile()).getHistory();
    }

    static TokenModelRun open(RunFolder folder, Device device) {
        NDManager m = NDManager.newBaseManager(device);
        try {
            return new TokenModelRun(folder, m, TokenRun.open(folder.dir(), m));
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
        return "Autoregressive";
    }

    @Override
    public String dataset() {
        return folder.config().getOrDefault("dataset", "?");
    }

    @Override
    public RunFolder folder() {
        return folder;
    }

    @Override
    public long steps() {
        return run.step();
    }

    @Override
    public LossHistory history() {
        return history;
    }

    @Override
    public SampleSource qualitySampler() {
        int tokens = (int) run.transformer().length();
        return new SampleSource() {
            @Override
            public String label() {
                return "tokens-" + tokens + " (KV cache)";
            }

            @Override
            public NDArray sample(NDManager m, int n) {
                Sampling s = Sampling.plain(1000 + draws++);
                if (run.isTextConditional()) {
                    // the empty caption, made in m so that the draw's arrays are freed with m
                    long l = run.transformer().prefixLength();
                    return run.sample(m.zeros(new Shape(n, l), DataType.INT64), 0, s);
                }
                NDArray x = run.sample(null, n, s);
                x.attach(m);
                return x;
            }
        };
    }

    @Override
    public List<SampleSource> speedSamplers() {
        return List.of(qualitySampler());
    }

    @Override
    public ConditionalSource conditionalSampler() {
        if (run.classes() == 0) {
            return null;
        }
        return new ConditionalSource() {
            @Override
            public String label() {
                return String.format(Locale.ROOT, "tokens, guidance %.0f", DiffusionRun.GUIDANCE);
            }

            @Override
            public int numClasses() {
                return run.classes();
            }

            @Override
            public NDArray sample(NDManager m, NDArray labels) {
                Sampling s = new Sampling(1f, 0, DiffusionRun.GUIDANCE, 2000 + draws++);
                return run.sample(labels, 0, s);
            }
        };
    }

    @Override
    public PromptDrawer promptDrawer() {
        return run.isTextConditional()
                ? new TokenPrompts(run, new Sampling(1f, 0, DiffusionRun.GUIDANCE, 3000), null, 1)
                : null;
    }

    /** The last logged next-token loss (nats per token) in bits: ℓ / ln 2. */
    @Override
    public double bitsPerToken() {
        List<Float> nll = history.names().contains("nll") ? history.series("nll") : List.of();
        if (nll.isEmpty()) {
            return 0;
        }
        int from = Math.max(0, nll.size() - 20);
        double sum = 0;
        for (int i = from; i < nll.size(); i++) {
            sum += nll.get(i);
        }
        return sum / (nll.size() - from) / Math.log(2);
    }

    @Override
    public void close() {
        manager.close();
    }
}
