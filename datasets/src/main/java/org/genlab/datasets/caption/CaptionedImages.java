package org.genlab.datasets.caption;

import java.util.AbstractList;
import java.util.List;
import org.genlab.datasets.DatasetSpec;
import org.genlab.datasets.ImageDataset;
import org.genlab.datasets.Split;

/**
 * One split of MNIST or Fashion-MNIST with a caption for every image: the images' measured
 * attributes, their bins and the captions, all computed once when the view is made (60,000 images
 * take about a second: plain loops over the bytes) and kept in memory only.
 *
 * <pre>{@code
 * ImageDataset train = ImageDataset.builder().setName("mnist").build();
 * CaptionedImages captioned = CaptionedImages.of(train);
 * captioned.caption(0); // "handwritten 5, bold strokes", say
 * }</pre>
 *
 * <p>The bins come from the <em>full training split</em> of the same data set, whatever split or
 * subset this view holds ({@link CaptionBins#forDataset}: loaded from the data folder, or computed
 * and saved there the first time). Image {@code i} gets caption variant {@code i}, so its caption
 * never changes ({@code i} is the index in this view: a view made with {@code optClasses} or {@code
 * optLimit} numbers its images anew, and may word them differently from the full split).
 */
public final class CaptionedImages {

    private final ImageDataset data;
    private final AttributeMeasure measure;
    private final CaptionBins bins;
    private final Captioner captioner;
    private final double[][] values;
    private final int[][] binned;

    private CaptionedImages(
            ImageDataset data, AttributeMeasure measure, CaptionBins bins, double[][] values) {
        this.data = data;
        this.measure = measure;
        this.bins = bins;
        this.captioner = Captioner.forDataset(data.spec().name());
        this.values = values;
        this.binned = new int[values.length][];
        for (int i = 0; i < values.length; i++) {
            binned[i] = bins.bins(values[i]);
        }
    }

    /**
     * Captions a split of MNIST or Fashion-MNIST.
     *
     * @param data the images (any split, any subset)
     * @return the captioned view
     * @throws org.genlab.core.GenLabException for CIFAR-10, or a damaged bins file
     */
    public static CaptionedImages of(ImageDataset data) {
        String name = data.spec().name();
        AttributeMeasure m = AttributeMeasure.forDataset(name);
        double[][] v = measureAll(data, m);
        boolean fullTrain =
                data.split() == Split.TRAIN && data.size() == data.spec().count(Split.TRAIN);
        CaptionBins b =
                CaptionBins.forDataset(
                        data.dataDir(),
                        name,
                        m.names(),
                        () -> fullTrain ? v : measureAll(trainSplit(data), m));
        return new CaptionedImages(data, m, b, v);
    }

    private static ImageDataset trainSplit(ImageDataset data) {
        return ImageDataset.builder()
                .setName(data.spec().name())
                .optDataDir(data.dataDir())
                .optLog(null)
                .build();
    }

    /**
     * Measures every image of a grey data set.
     *
     * @param data the images
     * @param m the measure
     * @return {@code [image][attribute]}
     */
    public static double[][] measureAll(ImageDataset data, AttributeMeasure m) {
        DatasetSpec s = data.spec();
        int h = s.height();
        int w = s.width();
        float[] px = new float[h * w];
        double[][] out = new double[data.size()][];
        for (int i = 0; i < out.length; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = data.pixel(i, 0, y, x) / 255f;
                }
            }
            out[i] = m.measure(px, h, w);
        }
        return out;
    }

    /**
     * Returns the images.
     *
     * @return the split this view captions
     */
    public ImageDataset data() {
        return data;
    }

    /**
     * Returns the number of images.
     *
     * @return the size of the split
     */
    public int size() {
        return values.length;
    }

    /**
     * Returns the class of an image.
     *
     * @param i the image
     * @return 0..9
     */
    public int label(int i) {
        return data.label(i);
    }

    /**
     * Returns the measured attributes of an image.
     *
     * @param i the image
     * @return one value per attribute ({@link AttributeMeasure#names()})
     */
    public double[] attributes(int i) {
        return values[i].clone();
    }

    /**
     * Returns the bins of an image's attributes.
     *
     * @param i the image
     * @return one bin (0..2) per attribute
     */
    public int[] bins(int i) {
        return binned[i].clone();
    }

    /**
     * Returns what an image's caption mentions.
     *
     * @param i the image
     * @return the bin of each attribute the caption names, -1 where it names none
     */
    public int[] mentioned(int i) {
        return captioner.mentioned(label(i), binned[i], i);
    }

    /**
     * Returns the caption of an image.
     *
     * @param i the image
     * @return e.g. "a bold seven leaning right"
     */
    public String caption(int i) {
        return captioner.caption(label(i), binned[i], i);
    }

    /**
     * Returns all captions, in image order (each written when asked for).
     *
     * @return a list view of {@link #caption(int)}
     */
    public List<String> captions() {
        return new AbstractList<>() {
            @Override
            public String get(int i) {
                return caption(i);
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    /**
     * Returns the bins (from the training split).
     *
     * @return the bins
     */
    public CaptionBins bins() {
        return bins;
    }

    /**
     * Returns the captioner.
     *
     * @return the captioner
     */
    public Captioner captioner() {
        return captioner;
    }

    /**
     * Returns the measure.
     *
     * @return the measure
     */
    public AttributeMeasure measure() {
        return measure;
    }
}
