package org.genlab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named scalar losses (and other numbers worth logging, such as D(x)) that one training step
 * returns. They stay on the device: {@link #toFloats()} copies them to the host in one transfer,
 * and the training loop calls it only on the steps it logs.
 */
public final class Losses {

    private final Map<String, NDArray> values = new LinkedHashMap<>();

    /**
     * Adds a value.
     *
     * @param name e.g. {@code D}, {@code G}, {@code D(x)}
     * @param scalar a tensor with one element
     * @return this
     */
    public Losses put(String name, NDArray scalar) {
        values.put(name, scalar);
        return this;
    }

    /**
     * Returns the names, in order.
     *
     * @return the names
     */
    public java.util.Set<String> names() {
        return values.keySet();
    }

    /**
     * Copies all values to the host with one device sync.
     *
     * @return name to value
     */
    public Map<String, Float> toFloats() {
        Map<String, Float> out = new LinkedHashMap<>();
        if (values.isEmpty()) {
            return out;
        }
        NDList list = new NDList();
        for (NDArray v : values.values()) {
            list.add(v.reshape(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
        }
        float[] host = NDArrays.concat(list).toFloatArray();
        int i = 0;
        for (String k : values.keySet()) {
            out.put(k, host[i++]);
        }
        return out;
    }
}
