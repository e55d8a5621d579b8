package org.genlab.autoregressive.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values every decoder layer has computed so far, so that sampling costs one pass per
 * new token instead of a pass over the whole prefix (the "KV cache" of GPT-style decoders). A key
 * or value of position j never changes once it is computed, because position j attends only to
 * positions ≤ j; the next token's query therefore needs only its own K, V row beside the stored
 * ones:
 *
 * <pre>
 *   K⁽ˡ⁾ ← concat(K⁽ˡ⁾, k_t⁽ˡ⁾),   V⁽ˡ⁾ ← concat(V⁽ˡ⁾, v_t⁽ˡ⁾)        each (B, h, t, d)
 * </pre>
 *
 * <p>Create one with {@link TokenTransformer#newCache}, feed it with {@link TokenTransformer#step}
 * and close it when the sequence is done.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> keys = new ArrayList<>();
    private final List<NDArray> values = new ArrayList<>();
    private long length;

    KvCache(NDManager manager, int layers) {
        this.manager = manager.newSubManager();
        for (int i = 0; i < layers; i++) {
            keys.add(null);
            values.add(null);
        }
    }

    /**
     * Returns how many positions are stored.
     *
     * @return t, the next position's index
     */
    public long length() {
        return length;
    }

    /** The stored keys of a layer, or null before the first step. */
    NDArray keys(int layer) {
        return keys.get(layer);
    }

    /** The stored values of a layer, or null before the first step. */
    NDArray values(int layer) {
        return values.get(layer);
    }

    /** Replaces a layer's keys and values by the longer ones just computed. */
    void store(int layer, NDArray k, NDArray v) {
        NDArray oldK = keys.get(layer);
        NDArray oldV = values.get(layer);
        k.attach(manager);
        v.attach(manager);
        keys.set(layer, k);
        values.set(layer, v);
        if (oldK != null && oldK != k) {
            oldK.close();
        }
        if (oldV != null && oldV != v) {
            oldV.close();
        }
    }

    /** Moves the stored length on by the positions just added. */
    void advance(long added) {
        length += added;
    }

    /** Frees the stored keys and values. */
    @Override
    public void close() {
        manager.close();
    }
}
