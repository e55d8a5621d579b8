package org.genlab.core.checkpoint;

import ai.djl.nn.Block;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genlab.core.GenLabException;
import org.genlab.core.ema.Ema;
import org.genlab.core.optim.Adam;

/**
 * Everything a trainer changes while it trains: its networks, one optimizer per network, and the
 * EMA of those networks that keep one. A {@link Checkpoint} saves and restores exactly this.
 *
 * <pre>{@code
 * TrainState state = TrainState.builder().setModel("dcgan")
 *     .addNetwork("G", generator, adamG, emaG)
 *     .addNetwork("D", discriminator, adamD, null)
 *     .build();
 * }</pre>
 */
public final class TrainState {

    private final String model;
    private final Map<String, Block> networks;
    private final Map<String, Adam> optimizers;
    private final Map<String, Ema> emas;

    private TrainState(Builder b) {
        this.model = b.model;
        this.networks = Collections.unmodifiableMap(b.networks);
        this.optimizers = Collections.unmodifiableMap(b.optimizers);
        this.emas = Collections.unmodifiableMap(b.emas);
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
     * Returns the kind of model, e.g. {@code dcgan}; a checkpoint of another kind will not load.
     *
     * @return the model kind
     */
    public String getModel() {
        return model;
    }

    /**
     * Returns the networks by name.
     *
     * @return name to network
     */
    public Map<String, Block> getNetworks() {
        return networks;
    }

    /**
     * Returns the optimizers by the name of the network they update.
     *
     * @return name to optimizer
     */
    public Map<String, Adam> getOptimizers() {
        return optimizers;
    }

    /**
     * Returns the EMAs by the name of the network they average.
     *
     * @return name to EMA
     */
    public Map<String, Ema> getEmas() {
        return emas;
    }

    /** Builds a {@link TrainState}. */
    public static final class Builder {
        private String model;
        private final Map<String, Block> networks = new LinkedHashMap<>();
        private final Map<String, Adam> optimizers = new LinkedHashMap<>();
        private final Map<String, Ema> emas = new LinkedHashMap<>();

        Builder() {}

        /**
         * Sets the kind of model.
         *
         * @param model e.g. {@code dcgan} or {@code ddpm}
         * @return this builder
         */
        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        /**
         * Adds a network with its optimizer and, optionally, its EMA.
         *
         * @param name a short name, e.g. {@code G}, {@code D}, {@code eps}
         * @param block the network, initialised
         * @param optimizer its optimizer, or {@code null} for a frozen network
         * @param ema its EMA, or {@code null}
         * @return this builder
         */
        public Builder addNetwork(String name, Block block, Adam optimizer, Ema ema) {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new GenLabException("Network names are letters, digits, - and _: " + name);
            }
            networks.put(name, block);
            if (optimizer != null) {
                optimizers.put(name, optimizer);
            }
            if (ema != null) {
                emas.put(name, ema);
            }
            return this;
        }

        /**
         * Builds the state.
         *
         * @return the state
         */
        public TrainState build() {
            if (model == null || networks.isEmpty()) {
                throw new GenLabException("A train state needs a model kind and a network.");
            }
            return new TrainState(this);
        }
    }
}
