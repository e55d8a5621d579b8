package org.genlab.text.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import org.genlab.core.GenLabException;

/**
 * Retrieval in the shared space: find the images for a caption (text → image) or the captions for
 * an image (image → text) by cosine similarity, and score it with recall@K, the measure CLIP
 * reports on Flickr30k and MSCOCO (Radford et al. 2021, Table 13):
 *
 * <pre>
 *   recall@K = 1/Q Σ_q [ some key among the K most similar to q is a match of q ]
 * </pre>
 *
 * A key matches a query when they are in the same group. With MNIST-style captions many images
 * share one caption ("a seven"): a query caption is answered correctly by any image of that
 * caption's group (the class, or the caption itself), not only by the one image it was paired with,
 * since the model cannot tell those apart from the text. Pass the pair index as the group to
 * measure strict pair retrieval.
 */
public final class Retrieval {

    private Retrieval() {}

    /**
     * The indices of the K keys most similar to a query, best first.
     *
     * @param query (E) or (1, E) a unit vector
     * @param keys (N, E) unit vectors
     * @param k K ≤ N
     * @return K indices into keys
     */
    public static int[] topK(NDArray query, NDArray keys, int k) {
        NDArray q = query.reshape(1, -1);
        return topKRows(q, keys, k)[0];
    }

    /**
     * Recall@K of queries against keys.
     *
     * @param queries (Q, E) unit vectors
     * @param keys (N, E) unit vectors
     * @param queryGroup Q group ids (class or caption)
     * @param keyGroup N group ids
     * @param k K
     * @return the share of queries with a key of their group among their K nearest
     */
    public static double recallAtK(
            NDArray queries, NDArray keys, int[] queryGroup, int[] keyGroup, int k) {
        if (queryGroup.length != queries.getShape().get(0)
                || keyGroup.length != keys.getShape().get(0)) {
            throw new GenLabException(
                    "recallAtK needs one group per query and per key: "
                            + queryGroup.length
                            + " groups for "
                            + queries.getShape().get(0)
                            + " queries, "
                            + keyGroup.length
                            + " for "
                            + keys.getShape().get(0)
                            + " keys.");
        }
        int[][] top = topKRows(queries, keys, k);
        int hits = 0;
        for (int q = 0; q < top.length; q++) {
            for (int j : top[q]) {
                if (keyGroup[j] == queryGroup[q]) {
                    hits++;
                    break;
                }
            }
        }
        return hits / (double) top.length;
    }

    /**
     * The indices of the K keys most similar to each query, best first.
     *
     * @param queries (Q, E) unit vectors
     * @param keys (N, E) unit vectors
     * @param k K ≤ N
     * @return Q rows of K indices into keys
     */
    public static int[][] topKRows(NDArray queries, NDArray keys, int k) {
        long n = keys.getShape().get(0);
        if (k < 1 || k > n) {
            throw new GenLabException("K must be in [1, " + n + "] (the number of keys), got " + k);
        }
        // similarities Q Kᵀ, sorted descending per query; one copy to the host
        NDArray sim = queries.matMul(keys.toDevice(queries.getDevice(), false).transpose());
        long[] flat =
                sim.argSort(1, false)
                        .get(new NDIndex(":, 0:{}", k))
                        .toType(DataType.INT64, false)
                        .toLongArray();
        int rows = (int) queries.getShape().get(0);
        int[][] out = new int[rows][k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = (int) flat[i * k + j];
            }
        }
        return out;
    }
}
