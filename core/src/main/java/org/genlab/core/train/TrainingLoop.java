package org.genlab.core.train;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.genlab.core.GenLabException;
import org.genlab.core.chart.Charts;
import org.genlab.core.checkpoint.AtomicFiles;
import org.genlab.core.checkpoint.Checkpoint;
import org.genlab.core.nn.NoGrad;
import org.genlab.core.runtime.Seeds;

/**
 * Runs a {@link TrainingTask} for a number of steps, with everything a long run needs.
 *
 * <pre>{@code
 * LossHistory h = TrainingLoop.builder()
 *     .setTask(trainer).setSteps(5000).setRunFolder(run).setSeed(42)
 *     .optSampleEvery(500).optCheckpointEvery(1000).optResume(true)
 *     .build().fit();
 * }</pre>
 *
 * <p>Each step runs inside its own {@link NDManager}, closed right after, with the engine seeded by
 * {@link Seeds#forStep(long, long)}. Losses stay on the device except every {@code logEvery} steps,
 * at checkpoints and at the end, when they are read in one transfer, shown on the progress bar,
 * logged and checked: a NaN, an infinity or a value above the explosion threshold stops the run
 * with a {@link TrainingDivergedException}, before anything is saved, so the last checkpoint stays
 * good. Ctrl-C saves a checkpoint before the program exits.
 */
public final class TrainingLoop {

    private final TrainingTask task;
    private final long steps;
    private final RunFolder run;
    private long seed;
    private final int logEvery;
    private final long sampleEvery;
    private final long timeLimitNanos;
    private boolean timedOut;
    private final long checkpointEvery;
    private final boolean progressBar;
    private final boolean resume;
    private final boolean overwrite;
    private final float explodeThreshold;
    private final String taskName;
    private final Map<String, String> config;
    private final List<TrainingListener> listeners;
    private final NDManager manager;
    private final PrintStream out;

    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private boolean interrupted;
    private double stepsPerSecond;
    private long startStep;

    private TrainingLoop(Builder b) {
        this.task = b.task;
        this.steps = b.steps;
        this.run = b.run;
        this.seed = b.seed;
        this.logEvery = b.logEvery;
        this.sampleEvery = b.sampleEvery;
        this.timeLimitNanos = b.timeLimitNanos;
        this.checkpointEvery = b.checkpointEvery;
        this.progressBar = b.progressBar;
        this.resume = b.resume;
        this.overwrite = b.overwrite;
        this.explodeThreshold = b.explodeThreshold;
        this.taskName = b.taskName;
        this.config = new LinkedHashMap<>(b.task.config());
        this.config.putAll(b.config);
        this.listeners = List.copyOf(b.listeners);
        this.manager = b.manager;
        this.out = b.out;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains until the step count is reached, the run diverges, or the user presses Ctrl-C.
     *
     * @return the losses logged over the whole run (including before a resume)
     * @throws TrainingDivergedException if a loss became NaN, infinite or exploded
     */
    public LossHistory fit() {
        // weights are updated in place here, whatever thread calls: no autograd outside collectors
        try (NoGrad scope = NoGrad.enter()) {
            return run();
        }
    }

    private LossHistory run() {
        LossHistory history = new LossHistory();
        long step = 0;
        if (resume && run.hasCheckpoint()) {
            Checkpoint cp = Checkpoint.load(run.checkpointFile(), task.state());
            checkSameRun(cp.getConfig());
            step = cp.getStep();
            history = cp.getHistory();
            if (cp.getSeed() != seed) {
                out.printf(
                        Locale.ROOT,
                        "Resuming with the run's own seed %d (not %d).%n",
                        cp.getSeed(),
                        seed);
                seed = cp.getSeed();
            }
            if (cp.isFallback()) {
                out.printf(
                        Locale.ROOT,
                        "The latest checkpoint is damaged (%s); resuming from the previous one,"
                                + " %s.%n",
                        cp.getProblem(),
                        cp.getFile().getFileName());
            }
            out.printf(Locale.ROOT, "Resumed %s at step %d of %d.%n", run.dir(), step, steps);
        }
        config.put("seed", Long.toString(seed));
        // only now, with the flags checked, the model built and the checkpoint loaded, is the
        // folder touched: the task's description, the loop's settings and the seed
        run.begin(config, overwrite);
        startStep = step;
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stopRequested.set(true);
                            try {
                                finished.await(120, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "genlab-save-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        ProgressBar bar = progressBar ? newBar(step) : null;
        long t0 = System.nanoTime();
        long lastSaved = step;
        try {
            long deadline = timeLimitNanos > 0 ? t0 + timeLimitNanos : Long.MAX_VALUE;
            timedOut = false;
            while (step < steps) {
                if (stopRequested.get()) {
                    interrupted = true;
                    break;
                }
                if (System.nanoTime() >= deadline) {
                    timedOut = true;
                    break;
                }
                Seeds.seed(Seeds.forStep(seed, step));
                long done = step + 1;
                boolean checkpointDue = checkpointEvery > 0 && done % checkpointEvery == 0;
                boolean logDue = done % logEvery == 0 || checkpointDue || done == steps;
                try (NDManager sub = manager.newSubManager()) {
                    Losses losses = task.step(step, sub);
                    if (logDue) {
                        Map<String, Float> values = losses.toFloats();
                        check(values, done, lastSaved);
                        history.add(done, values);
                        if (bar != null) {
                            bar.setExtraMessage(" " + format(values));
                        }
                        for (TrainingListener l : listeners) {
                            l.onLog(done, values);
                        }
                    }
                }
                step = done;
                if (bar != null) {
                    bar.stepTo(step);
                }
                if (sampleEvery > 0 && step % sampleEvery == 0) {
                    task.writeSamples(step, run.samplesDir());
                }
                if (checkpointDue) {
                    save(step, history);
                    lastSaved = step;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            stepsPerSecond = seconds > 0 ? (step - startStep) / seconds : 0;
            if (lastSaved != step || !run.hasCheckpoint()) {
                save(step, history);
            }
            writeLosses(history);
            if (bar != null) {
                bar.close();
                bar = null;
            }
            if (interrupted) {
                out.printf(
                        Locale.ROOT,
                        "%nStopped at step %d: checkpoint saved to %s. Run again with --resume to"
                                + " continue.%n",
                        step,
                        run.checkpointFile());
            } else if (step > startStep && sampleEvery > 0 && step % sampleEvery != 0) {
                task.writeSamples(step, run.samplesDir());
            }
            if (timedOut) {
                out.printf(
                        Locale.ROOT,
                        "Time limit reached after %d steps (%.1f s); checkpoint saved.%n",
                        step - startStep,
                        seconds);
            }
            return history;
        } catch (TrainingDivergedException e) {
            writeLosses(history);
            throw e;
        } finally {
            if (bar != null) {
                bar.close();
            }
            for (TrainingListener l : listeners) {
                l.onEnd(step, history);
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down: the hook is waiting for us and now returns
            }
        }
    }

    /**
     * Tells whether the last {@link #fit()} stopped at its time limit ({@link
     * Builder#optTimeLimit}).
     *
     * @return true if the time ran out before the steps
     */
    public boolean reachedTimeLimit() {
        return timedOut;
    }

    /**
     * Tells whether the last {@link #fit()} stopped early because of Ctrl-C (or another shutdown).
     *
     * @return true if interrupted
     */
    public boolean wasInterrupted() {
        return interrupted;
    }

    /**
     * Returns the training speed of the last {@link #fit()}.
     *
     * @return steps per second, measured over the steps this process ran
     */
    public double getStepsPerSecond() {
        return stepsPerSecond;
    }

    /**
     * Refuses to resume a checkpoint as a different run: every setting the task describes (its
     * architecture, schedule, T, loss, data set) must equal the one the checkpoint was trained
     * with; only those in {@link RunFolder#MAY_CHANGE} may differ.
     */
    private void checkSameRun(Map<String, String> recorded) {
        for (Map.Entry<String, String> e : task.config().entrySet()) {
            String was = recorded.get(e.getKey());
            if (was != null
                    && !RunFolder.MAY_CHANGE.contains(e.getKey())
                    && !was.equals(e.getValue())) {
                throw new GenLabException(
                        "Cannot resume "
                                + run.dir()
                                + " as a different run: it was trained with "
                                + e.getKey()
                                + "="
                                + was
                                + ", this run asks for "
                                + e.getValue()
                                + ". Resume with the run's own settings, or train a new run.");
            }
        }
    }

    /** Asks the loop to stop after the current step and save a checkpoint, as Ctrl-C does. */
    public void requestStop() {
        stopRequested.set(true);
    }

    private void check(Map<String, Float> values, long step, long lastSaved) {
        for (Map.Entry<String, Float> e : values.entrySet()) {
            float v = e.getValue();
            if (Float.isNaN(v) || Float.isInfinite(v) || Math.abs(v) > explodeThreshold) {
                String what = Float.isNaN(v) ? "became NaN" : "exploded to " + v;
                String kept =
                        run.hasCheckpoint()
                                ? "The last good checkpoint (step "
                                        + lastSaved
                                        + ") is kept in "
                                        + run.checkpointFile()
                                        + "."
                                : "No checkpoint had been saved yet.";
                throw new TrainingDivergedException(
                        String.format(
                                Locale.ROOT,
                                "Training diverged: loss '%s' %s at step %d. %s Try a lower"
                                        + " learning rate, another loss, or resume with"
                                        + " --resume from the checkpoint.",
                                e.getKey(),
                                what,
                                step,
                                kept),
                        step);
            }
        }
    }

    private void save(long step, LossHistory history) {
        Checkpoint.save(run.checkpointFile(), task.state(), step, seed, config, history);
        writeLosses(history);
        for (TrainingListener l : listeners) {
            l.onCheckpoint(step, run.checkpointFile());
        }
    }

    private void writeLosses(LossHistory history) {
        AtomicFiles.writeString(run.lossesCsv(), history.toCsv());
        if (history.size() >= 2) {
            Charts.writePng(
                    Charts.lossCurves(history, taskName + " losses"), run.lossChart(), 900, 450);
        }
    }

    private ProgressBar newBar(long start) {
        return new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(steps)
                .startsFrom(start, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                // on a terminal twice a second; into a log file or a notebook every 10 s
                .setUpdateIntervalMillis(System.console() != null ? 500 : 10_000)
                .setMaxRenderedLength(120)
                .showSpeed(new java.text.DecimalFormat("0.0"))
                .setUnit(" steps", 1)
                .build();
    }

    private static String format(Map<String, Float> values) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Float> e : values.entrySet()) {
            sb.append(sb.length() == 0 ? "" : " ")
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return sb.toString();
    }

    /** Builds a {@link TrainingLoop}. */
    public static final class Builder {
        private TrainingTask task;
        private long steps = -1;
        private RunFolder run;
        private long seed = 42;
        private int logEvery = 25;
        private long sampleEvery;
        private long timeLimitNanos;
        private long checkpointEvery;
        private boolean progressBar = true;
        private boolean resume;
        private boolean overwrite;
        private float explodeThreshold = 1e4f;
        private String taskName = "train";
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<TrainingListener> listeners = new ArrayList<>();
        private NDManager manager;
        private PrintStream out = System.out;

        Builder() {}

        /**
         * Sets what to train.
         *
         * @param task the trainer
         * @return this builder
         */
        public Builder setTask(TrainingTask task) {
            this.task = task;
            return this;
        }

        /**
         * Sets the total number of steps (a resumed run continues up to it).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder setSteps(long steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets where the run writes.
         *
         * @param run the run folder
         * @return this builder
         */
        public Builder setRunFolder(RunFolder run) {
            this.run = run;
            return this;
        }

        /**
         * Sets the run's seed.
         *
         * @param seed the seed (default 42)
         * @return this builder
         */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the manager whose sub-managers hold each step's arrays (and so the device).
         *
         * @param manager the manager the networks live in
         * @return this builder
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Stops after this much wall time (checked between steps; the checkpoint and the last
         * samples are written as at the end) — to train several models for the same time.
         *
         * @param limit the time budget of this {@code fit()}, or {@code null} for none
         * @return this builder
         */
        public Builder optTimeLimit(java.time.Duration limit) {
            this.timeLimitNanos = limit == null ? 0 : limit.toNanos();
            return this;
        }

        /**
         * Sets how often losses are read from the device, logged and checked.
         *
         * @param logEvery steps between reads (default 25)
         * @return this builder
         */
        public Builder optLogEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /**
         * Sets how often the task draws its progress samples.
         *
         * @param sampleEvery steps between sample grids; 0 for never (default)
         * @return this builder
         */
        public Builder optSampleEvery(long sampleEvery) {
            this.sampleEvery = sampleEvery;
            return this;
        }

        /**
         * Sets how often a checkpoint is saved (one is always saved at the end and on Ctrl-C).
         *
         * @param checkpointEvery steps between checkpoints; 0 for only at the end (default)
         * @return this builder
         */
        public Builder optCheckpointEvery(long checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /**
         * Continues from the run folder's checkpoint if it has one.
         *
         * @param resume true to resume (default false: start from step 0)
         * @return this builder
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Shows or hides the progress bar.
         *
         * @param show true to show it (default)
         * @return this builder
         */
        public Builder optProgressBar(boolean show) {
            this.progressBar = show;
            return this;
        }

        /**
         * Sets the absolute loss value above which the run counts as exploded.
         *
         * @param threshold the limit (default 1e4)
         * @return this builder
         */
        public Builder optExplodeThreshold(float threshold) {
            this.explodeThreshold = threshold;
            return this;
        }

        /**
         * Names the run on the progress bar and the loss chart.
         *
         * @param name e.g. {@code dcgan mnist}
         * @return this builder
         */
        public Builder optTaskName(String name) {
            this.taskName = name;
            return this;
        }

        /**
         * Replaces the run the folder holds (its checkpoints, losses, settings and samples) when
         * training begins. Without it, and without {@link #optResume}, an existing run's files are
         * written over as training goes; the {@code genlab} command refuses that case up front
         * ({@link RunFolder#checkTrainable}).
         *
         * @param overwrite true to start the folder afresh (default false)
         * @return this builder
         */
        public Builder optOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Sets the run's settings, saved in every checkpoint.
         *
         * @param config key to value
         * @return this builder
         */
        public Builder optConfig(Map<String, String> config) {
            this.config.putAll(config);
            return this;
        }

        /**
         * Adds a listener.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Sets where messages (resume, interruption) are printed.
         *
         * @param out the stream (default {@code System.out})
         * @return this builder
         */
        public Builder optOutput(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * Builds the loop.
         *
         * @return the loop
         */
        public TrainingLoop build() {
            if (task == null || run == null || manager == null) {
                throw new GenLabException(
                        "A training loop needs a task, a run folder and a manager.");
            }
            if (steps < 0) {
                throw new GenLabException("Set the number of training steps (got " + steps + ").");
            }
            if (logEvery < 1 || sampleEvery < 0 || checkpointEvery < 0) {
                throw new GenLabException(
                        "logEvery must be >= 1; sampleEvery and checkpointEvery >= 0.");
            }
            return new TrainingLoop(this);
        }
    }
}
