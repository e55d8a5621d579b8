package org.genlab.datasets.caption;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.genlab.core.GenLabException;
import org.genlab.datasets.DatasetSpec;

/**
 * Measures a few visual attributes of one grey image: the numbers a caption's adjectives come from.
 * The same code measures the training images (to write their captions) and a model's samples (to
 * check that "a bold seven" came out bold), so the two can be compared.
 *
 * <p>Pixels are on the [0,1] scale with the ink (or the garment) bright, as MNIST stores them;
 * {@link #measure(NDArray)} takes GenLab's [-1,1] tensors and maps {@code v -> (v + 1) / 2}.
 */
public interface AttributeMeasure {

    /**
     * Returns the attribute names, in the order {@link #measure(float[], int, int)} returns them.
     *
     * @return e.g. {@code [thickness, slant, size]}
     */
    List<String> names();

    /**
     * Measures one image.
     *
     * @param pixels H*W values in [0,1], row by row, ink bright
     * @param height the image height H
     * @param width the image width W
     * @return one value per attribute, in the order of {@link #names()}
     */
    double[] measure(float[] pixels, int height, int width);

    /**
     * Measures a batch of images in GenLab's range, e.g. a model's samples.
     *
     * @param images (B,1,H,W) in [-1,1] (values outside are clipped)
     * @return {@code [B][attribute]}
     */
    default double[][] measure(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 1) {
            throw new GenLabException(
                    "Attributes are measured on grey images (B,1,H,W), got shape " + s + ".");
        }
        int b = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = images.toType(DataType.FLOAT32, false).toFloatArray();
        double[][] out = new double[b][];
        float[] one = new float[h * w];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < one.length; p++) {
                float v = (all[i * one.length + p] + 1f) / 2f;
                one[p] = Math.min(1f, Math.max(0f, v));
            }
            out[i] = measure(one, h, w);
        }
        return out;
    }

    /**
     * Returns the attributes captions use for a data set.
     *
     * @param dataset {@code mnist} (digits: {@link DigitAttributes}) or {@code fashion-mnist}
     *     (clothing: {@link GarmentAttributes})
     * @return its measure
     * @throws GenLabException for a data set that has no captions (CIFAR-10) or an unknown name
     */
    static AttributeMeasure forDataset(String dataset) {
        DatasetSpec spec = DatasetSpec.byName(dataset);
        if (spec == DatasetSpec.MNIST) {
            return new DigitAttributes();
        }
        if (spec == DatasetSpec.FASHION_MNIST) {
            return new GarmentAttributes();
        }
        throw new GenLabException(
                "Captions exist for mnist and fashion-mnist only, not for "
                        + spec.name()
                        + ": use one of those two.");
    }
}
