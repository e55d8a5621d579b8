package org.genlab.core.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph, like {@code with torch.no_grad():}.
 *
 * <pre>{@code
 * try (NoGrad scope = NoGrad.enter()) {
 *     ema.update();            // in-place updates of weights that require a gradient
 * }
 * }</pre>
 *
 * <p>Why this exists: PyTorch keeps its grad mode per thread, and it is on in every new thread. DJL
 * switches it off only on the thread that loads the engine (and after each gradient collector).
 * Code that runs on another thread (a Jupyter kernel runs cells on whichever thread it likes, a web
 * server on its workers) then fails on the first in-place update of a weight ("a leaf Variable that
 * requires grad is being used in an in-place operation"), and its sampling builds autograd graphs
 * nobody needs. GenLab's training loop, optimizer, EMA, checkpoint loading and samplers all enter
 * this scope, so they work from any thread. A {@code GradientCollector} opened inside it switches
 * recording on until it closes, as usual.
 *
 * <p>With an engine other than PyTorch the scope does nothing.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;
    private final boolean pytorch;

    private NoGrad() {
        pytorch = "PyTorch".equals(Engine.getDefaultEngineName());
        previous = pytorch && JniUtils.isGradMode();
        if (previous) {
            JniUtils.setGradMode(false);
        }
    }

    /**
     * Switches autograd recording off on this thread until {@link #close()}.
     *
     * @return the scope, to close
     */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Restores the grad mode the thread had before {@link #enter()}. */
    @Override
    public void close() {
        if (pytorch && JniUtils.isGradMode() != previous) {
            JniUtils.setGradMode(previous);
        }
    }
}
