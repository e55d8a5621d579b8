package org.genlab.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.genlab.autoencoder.Autoencoder;
import org.genlab.core.data.SampleSet;
import org.genlab.core.nn.NoGrad;

/**
 * Turns an image set into token sequences once, before the transformer trains on them: each image
 * becomes its VQ autoencoder's token grid, flattened in raster order, z = (z₀, …, z_{N−1}), N = h·w
 * (49 for MNIST's 7×7 grid). Labels are kept.
 *
 * <pre>{@code
 * Autoencoder vq = LatentSpace.load(runDir, device).model();
 * SampleSet tokens = ImageTokens.encode(vq, mnist.inMemory(manager), manager);  // (60000, 49) int64
 * }</pre>
 */
public final class ImageTokens {

    private static final int CHUNK = 512;

    private ImageTokens() {}

    /**
     * Encodes a whole image set into token sequences, in chunks.
     *
     * @param vq a trained autoencoder with a VQ bottleneck
     * @param images (N, C, H, W) images in [−1, 1]
     * @param manager where the tokens live (N × h·w int64)
     * @return a set of (N, h·w) int64 token sequences with the images' labels
     */
    public static SampleSet encode(Autoencoder vq, SampleSet images, NDManager manager) {
        int n = images.size();
        NDArray all = null;
        try (NoGrad scope = NoGrad.enter()) {
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                int[] idx = new int[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray z = vq.tokens(new ParameterStore(sub, false), images.samples(sub, idx));
                    NDArray flat = z.reshape(idx.length, -1).toType(DataType.INT64, false);
                    if (all == null) {
                        all =
                                manager.zeros(
                                        new ai.djl.ndarray.types.Shape(n, flat.getShape().get(1)),
                                        DataType.INT64);
                    }
                    all.set(new NDIndex("{}:{}", from, to), flat);
                }
            }
        }
        int[] every = new int[n];
        for (int i = 0; i < n; i++) {
            every[i] = i;
        }
        return SampleSet.of(all, images.labels(manager, every));
    }
}
