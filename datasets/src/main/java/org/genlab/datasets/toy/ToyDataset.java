package org.genlab.datasets.toy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.genlab.core.GenLabException;
import org.genlab.core.data.SampleSet;
import org.genlab.datasets.djl.DjlDatasetView;

/**
 * A fixed, seeded sample of points from a {@link ToyDistribution}: the same seed gives the same
 * points.
 *
 * <pre>{@code
 * ToyDataset ring = ToyDataset.builder()
 *         .setDistribution(RingOfGaussians.defaults())
 *         .setSize(10_000)
 *         .optSeed(7)
 *         .build();
 * NDArray batch = ring.points(manager, indices); // (N,2) float32
 * }</pre>
 */
public final class ToyDataset implements SampleSet {

    private final ToyDistribution distribution;
    private final long seed;
    private final float[] xy;
    private final int[] components;

    private ToyDataset(ToyDistribution distribution, int size, long seed) {
        this.distribution = distribution;
        this.seed = seed;
        this.xy = new float[2 * size];
        this.components = new int[size];
        Random rnd = new Random(seed);
        float[] p = new float[2];
        for (int i = 0; i < size; i++) {
            components[i] = distribution.sample(rnd, p);
            xy[2 * i] = p[0];
            xy[2 * i + 1] = p[1];
        }
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes a data set by name, for the command line: {@code ring}, {@code moons}, {@code
     * swissroll}, {@code checkerboard} (with their default parameters), or the path of a PNG whose
     * dark pixels form the shape.
     *
     * @param name the distribution's name or a PNG path
     * @param n how many points
     * @param seed the seed
     * @return the data set
     */
    public static ToyDataset byName(String name, int n, long seed) {
        ToyDistribution d;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "ring":
            case "8gaussians":
                d = RingOfGaussians.defaults();
                break;
            case "moons":
            case "two-moons":
                d = TwoMoons.defaults();
                break;
            case "swissroll":
            case "swiss-roll":
                d = SwissRoll.defaults();
                break;
            case "checkerboard":
                d = Checkerboard.defaults();
                break;
            default:
                Path p = Path.of(name);
                if (!Files.isRegularFile(p)) {
                    throw new GenLabException(
                            "Unknown toy distribution '"
                                    + name
                                    + "': use ring, moons, swissroll, checkerboard or a PNG file");
                }
                d = PictureShape.fromFile(p);
        }
        return builder().setDistribution(d).setSize(n).optSeed(seed).build();
    }

    /**
     * Returns the distribution the points were drawn from.
     *
     * @return the distribution
     */
    public ToyDistribution distribution() {
        return distribution;
    }

    /**
     * Returns the seed the points were drawn with.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    @Override
    public int size() {
        return components.length;
    }

    /**
     * Returns a copy of all points.
     *
     * @return {@code size()} rows of {x, y}
     */
    public float[][] points() {
        float[][] out = new float[size()][2];
        for (int i = 0; i < out.length; i++) {
            out[i][0] = xy[2 * i];
            out[i][1] = xy[2 * i + 1];
        }
        return out;
    }

    /**
     * Returns all points as one (N,2) float32 tensor.
     *
     * @param manager the manager that owns it
     * @return the points
     */
    public NDArray points(NDManager manager) {
        return manager.create(xy.clone(), new Shape(size(), 2));
    }

    /**
     * Returns the component (mode, moon, square) point {@code i} was drawn from.
     *
     * @param i the point
     * @return the component, 0 if the distribution has none
     */
    public int component(int i) {
        return components[i];
    }

    /**
     * Makes one batch: an (N,2) float32 tensor, built with a single {@code manager.create}.
     *
     * @param manager the manager that owns it
     * @param indices which points
     * @return the batch
     */
    public NDArray points(NDManager manager, int[] indices) {
        float[] buf = new float[2 * indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("point " + i + " of " + size());
            }
            buf[2 * j] = xy[2 * i];
            buf[2 * j + 1] = xy[2 * i + 1];
        }
        return manager.create(buf, new Shape(indices.length, 2));
    }

    /**
     * Returns a batch of points: {@link #points(NDManager, int[])}, the {@link SampleSet} way.
     *
     * @param manager the manager that owns it
     * @param indices which points
     * @return (N, 2) float32
     */
    @Override
    public NDArray samples(NDManager manager, int[] indices) {
        return points(manager, indices);
    }

    /**
     * Returns the mixture component each point was drawn from (e.g. which of the ring's eight
     * Gaussians), as labels: a GAN that covers every mode draws points of every component.
     *
     * @param manager the manager that owns it
     * @param indices which points
     * @return (N) int32 components
     */
    @Override
    public NDArray labels(NDManager manager, int[] indices) {
        int[] buf = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            buf[j] = component(indices[j]);
        }
        return manager.create(buf);
    }

    /**
     * Wraps the points as a DJL {@link ai.djl.training.dataset.RandomAccessDataset} serving records
     * (point (2) float32, component float32 scalar).
     *
     * @param batchSize the batch size
     * @param shuffle whether to shuffle each epoch
     * @return the DJL dataset
     */
    public DjlDatasetView toDjlDataset(int batchSize, boolean shuffle) {
        return DjlDatasetView.builder().setSamples(this).setSampling(batchSize, shuffle).build();
    }

    /** Configures a {@link ToyDataset}. */
    public static final class Builder {

        private ToyDistribution distribution;
        private int size = -1;
        private long seed = 42;

        private Builder() {}

        /**
         * Sets the distribution (required).
         *
         * @param distribution e.g. {@link RingOfGaussians#defaults()}
         * @return this builder
         */
        public Builder setDistribution(ToyDistribution distribution) {
            this.distribution = distribution;
            return this;
        }

        /**
         * Sets the number of points (required).
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder setSize(int size) {
            this.size = size;
            return this;
        }

        /**
         * Sets the seed (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Draws the points.
         *
         * @return the data set
         */
        public ToyDataset build() {
            if (distribution == null) {
                throw new GenLabException("ToyDataset needs setDistribution(..)");
            }
            if (size < 1) {
                throw new GenLabException("ToyDataset needs setSize(n) with n >= 1");
            }
            return new ToyDataset(distribution, size, seed);
        }
    }
}
