package org.genlab.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network's parameters by name. DJL names each parameter by its path in the block tree (e.g.
 * {@code 01Linear_weight}); the names are stable for a network built the same way, so they key the
 * optimizer state, the EMA and the checkpoint.
 */
public final class Params {

    private Params() {}

    /**
     * Returns every initialised parameter of a network.
     *
     * @param block an initialised network
     * @return name to parameter, in the network's order
     */
    public static Map<String, Parameter> named(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        ParameterList list = block.getParameters();
        for (Pair<String, Parameter> p : list) {
            if (p.getValue().isInitialized()) {
                out.put(p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /**
     * Returns the arrays of every initialised parameter.
     *
     * @param block an initialised network
     * @return name to array
     */
    public static Map<String, NDArray> arrays(Block block) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        named(block).forEach((k, v) -> out.put(k, v.getArray()));
        return out;
    }

    /**
     * Counts the trainable numbers of a network.
     *
     * @param block an initialised network
     * @return the number of scalars in parameters that require a gradient
     */
    public static long count(Block block) {
        long n = 0;
        for (Parameter p : named(block).values()) {
            if (p.requiresGradient()) {
                n += p.getArray().size();
            }
        }
        return n;
    }
}
