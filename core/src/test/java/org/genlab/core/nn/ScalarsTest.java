package org.genlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backward pass of tensor-times-number ops must not depend on memory the garbage collector may
 * free between the forward and the backward pass (see {@link Scalars}).
 */
class ScalarsTest {

    /** Frees every unreachable direct buffer, then reuses the memory with NaNs. */
    private static List<ByteBuffer> collectAndScribble() throws InterruptedException {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50); // the cleaner thread frees direct buffers after the collection
            for (int i = 0; i < 200; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + i % 4));
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                junk.add(b);
            }
        }
        return junk;
    }

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-2f, -0.5f, 0f, 1f, 3f});
            x.setRequiresGradient(true);
            float[] expected = new float[5];
            float[] xs = x.toFloatArray();
            for (int i = 0; i < 5; i++) {
                // d/dx [3x + x/4 + SiLU(x)] = 3 + 1/4 + σ(x)(1 + x(1 − σ(x)))
                double s = 1 / (1 + Math.exp(-xs[i]));
                expected[i] = (float) (3 + 0.25 + s * (1 + xs[i] * (1 - s)));
            }
            for (int trial = 0; trial < 20; trial++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y =
                            Scalars.mul(x, 3f).add(Scalars.div(x, 4f)).add(Scalars.silu(x)).sum();
                    List<ByteBuffer> junk = collectAndScribble();
                    gc.backward(y);
                    try (NDArray g = x.getGradient()) {
                        assertArrayEquals(expected, g.toFloatArray(), 1e-5f, "trial " + trial);
                    }
                    junk.clear();
                    try (NDArray g = x.getGradient()) {
                        g.subi(g);
                    }
                }
            }
        }
    }
}
