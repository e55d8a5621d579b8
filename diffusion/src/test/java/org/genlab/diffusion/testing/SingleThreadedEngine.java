package org.genlab.diffusion.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the PyTorch engine with one intra-op and one inter-op thread in tests, unless the build says
 * otherwise. On a shared 2-core machine (load ≈ 5–8) OpenMP's spinning barriers made a UNet
 * training step ~25× slower with 2 threads than with 1 (0.15 vs 4 steps/s, measured here).
 */
public final class SingleThreadedEngine implements BeforeAllCallback {

    static {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // the static initialiser did the work before any engine was created
    }
}
