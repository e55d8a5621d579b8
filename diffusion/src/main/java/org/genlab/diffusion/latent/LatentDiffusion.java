package org.genlab.diffusion.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.genlab.autoencoder.LatentSpace;
import org.genlab.core.GenLabException;
import org.genlab.core.data.SampleSet;

/**
 * The glue of latent diffusion (Rombach et al. 2022): the data set encoded once into scaled latents
 * z = s · μ(x) to train on, samples decoded with x = D(z / s), and a pixel mask carried to the
 * latent grid for inpainting. A latent run records {@value #RUN_KEY} (the autoencoder's run folder)
 * and {@value #SCALE_KEY} in its {@code config.properties}; {@link #open} reads them back.
 *
 * <pre>{@code
 * try (LatentSpace ae = LatentSpace.load(Path.of("runs/ae"), device)) {
 *     SampleSet latents = LatentDiffusion.encode(ae, mnist.inMemory(manager), manager);
 *     // train any DiffusionTrainer on latents (sample shape ae.latentShape()),
 *     // with .optDecoder(ae::decode) so that its progress pictures are images
 *     NDArray images = ae.decode(sampler.sample(denoiser, manager, latentBatch, null));
 * }
 * }</pre>
 */
public final class LatentDiffusion {

    /** The config key naming the autoencoder's run folder. */
    public static final String RUN_KEY = "latent";

    /** The config key of the latent scale s the run was trained with. */
    public static final String SCALE_KEY = "latentScale";

    private static final int CHUNK = 1024;

    private LatentDiffusion() {}

    /**
     * Encodes a whole image set into latents, once, in chunks (labels are kept).
     *
     * @param space the autoencoder
     * @param images the images (N, C, H, W) in [−1, 1]
     * @param manager where the latents live (N × c × h × w floats: 11.8 MB for MNIST at 4×7×7)
     * @return the latent set
     */
    public static SampleSet encode(LatentSpace space, SampleSet images, NDManager manager) {
        int n = images.size();
        long[] shape = new Shape(n).addAll(space.latentShape()).getShape();
        NDArray all = manager.zeros(new Shape(shape));
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int[] idx = new int[to - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray z = space.encode(images.samples(sub, idx));
                all.set(new ai.djl.ndarray.index.NDIndex(from + ":" + to), z);
            }
        }
        int[] every = new int[n];
        for (int i = 0; i < n; i++) {
            every[i] = i;
        }
        NDArray labels = images.labels(manager, every);
        return SampleSet.of(all, labels);
    }

    /**
     * Opens the autoencoder a latent run was trained in, checking that its scale is the one the run
     * recorded.
     *
     * @param config the diffusion run's settings
     * @param device where to load it
     * @return the autoencoder, or {@code null} for a pixel-space run
     * @throws GenLabException when the autoencoder is missing or has changed since
     */
    public static LatentSpace open(Map<String, String> config, ai.djl.Device device) {
        String dir = config.get(RUN_KEY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        LatentSpace space = LatentSpace.load(Path.of(dir), device);
        String recorded = config.get(SCALE_KEY);
        if (recorded != null && Math.abs(Float.parseFloat(recorded) - space.scale()) > 1e-4f) {
            float now = space.scale();
            space.close();
            throw new GenLabException(
                    "The autoencoder in "
                            + dir
                            + " has latent scale "
                            + now
                            + " but this run was trained with "
                            + recorded
                            + ": it was retrained since; retrain the diffusion model on it.");
        }
        return space;
    }

    /**
     * Carries a pixel mask (1 where known) to the latent grid: a latent cell is known only when
     * every pixel of its patch is known (each latent cell of a 4× autoencoder stands for a 4×4
     * patch). Inpainting in latent space is approximate: the decoder blurs the border, so the known
     * pixels are pasted back after decoding ({@link #pasteKnown}).
     *
     * @param mask (1 or B, 1, H, W)
     * @param latentShape (c, h, w)
     * @return (1 or B, 1, h, w)
     */
    public static NDArray latentMask(NDArray mask, Shape latentShape) {
        Shape s = mask.getShape();
        long h = latentShape.get(1);
        long w = latentShape.get(2);
        long fh = s.get(2) / h;
        long fw = s.get(3) / w;
        if (fh * h != s.get(2) || fw * w != s.get(3)) {
            throw new GenLabException(
                    "A "
                            + s.get(2)
                            + "×"
                            + s.get(3)
                            + " mask does not tile a "
                            + h
                            + "×"
                            + w
                            + " latent.");
        }
        // min over each patch: 1 only where the whole patch is known
        NDArray patches = mask.reshape(s.get(0), 1, h, fh, w, fw);
        // (the engine reduces one axis at a time)
        return patches.min(new int[] {5}).min(new int[] {3});
    }

    /**
     * x = m ⊙ known + (1 − m) ⊙ decoded: the known pixels exactly as given.
     *
     * @param known the original images
     * @param decoded the decoded inpainting
     * @param mask 1 where known
     * @return the blend
     */
    public static NDArray pasteKnown(NDArray known, NDArray decoded, NDArray mask) {
        return decoded.add(known.sub(decoded).mul(mask));
    }
}
