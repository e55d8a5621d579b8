package org.genlab.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.genlab.core.ema.Ema;
import org.genlab.core.optim.Adam;
import org.junit.jupiter.api.Test;

/** A Jupyter kernel runs cells on fresh threads, where PyTorch's grad mode is on. */
class NoGradTest {

    /** Runs a task on a thread that has never touched PyTorch before. */
    private static <T> T onFreshThread(java.util.concurrent.Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            return CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return task.call();
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            },
                            pool)
                    .get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void weightsCanBeUpdatedFromAFreshThread() throws Exception {
        Engine.getEngine("PyTorch"); // the engine is loaded on this thread, as in a kernel
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = Linear.builder().setUnits(2).optBias(false).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            NDArray w = net.getParameters().get(0).getValue().getArray();
            Ema ema = Ema.builder().setBlock(net).optWarmUp(false).build();
            float[] before = w.toFloatArray();

            float[][] stepped = new float[1][];
            boolean[] modes =
                    onFreshThread(
                            () -> {
                                boolean fresh = JniUtils.isGradMode();
                                // the premise: a plain in-place copy into a weight fails here
                                assertThatThrownBy(() -> w.set(new NDIndex("..."), 0f))
                                        .hasMessageContaining("requires grad");

                                Adam adam = Adam.builder().optLearningRate(0.1f).build();
                                try (GradientCollector gc =
                                        Engine.getEngine("PyTorch").newGradientCollector()) {
                                    NDArray x = m.ones(new Shape(1, 3));
                                    NDArray y =
                                            net.forward(
                                                            new ParameterStore(m, false),
                                                            new NDList(x),
                                                            true)
                                                    .singletonOrThrow();
                                    gc.backward(y.sum());
                                }
                                JniUtils.setGradMode(true); // as a fresh cell thread would have it
                                adam.step(net);
                                stepped[0] = w.toFloatArray();
                                ema.update();
                                ema.copyTo(net);
                                return new boolean[] {fresh, JniUtils.isGradMode()};
                            });
            assertThat(modes[0]).as("grad mode on a fresh thread").isTrue();
            assertThat(modes[1]).as("grad mode restored after the scopes").isTrue();
            // Adam moved the weights, and the EMA's weights were copied back into the network
            assertThat(stepped[0]).isNotEqualTo(before);
            assertThat(w.toFloatArray())
                    .containsExactly(ema.state().values().iterator().next().toFloatArray());
            assertThat(w.toFloatArray()).isNotEqualTo(stepped[0]);
        }
    }

    @Test
    void restoresAnOffGradMode() {
        JniUtils.setGradMode(false);
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertThat(JniUtils.isGradMode()).isFalse();
            }
            assertThat(JniUtils.isGradMode()).isFalse();
        }
        assertThat(JniUtils.isGradMode()).isFalse();
    }
}
