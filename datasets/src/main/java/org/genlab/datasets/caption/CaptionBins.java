package org.genlab.datasets.caption;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.genlab.core.GenLabException;
import org.genlab.core.checkpoint.AtomicFiles;

/**
 * Turns measured attribute values into three bins — low, middle, high — so that a caption can say
 * "thin", "regular" or "bold". The bin edges are the 1/3 and 2/3 quantiles of the <em>training</em>
 * split, so each bin holds about a third of the training images: {@code bin(v) = 0} if {@code v <
 * e₁}, {@code 1} if {@code e₁ <= v < e₂}, {@code 2} otherwise, with {@code e_k} the value of rank
 * {@code floor(k·N/3)} among the N sorted training values.
 *
 * <p>The edges are computed once and kept next to the data, in {@code
 * <dataDir>/captions/<dataset>-bins.properties} (see {@link #forDataset}). A file written by an
 * older version of the measures (another {@code version}) is recomputed and replaced; a damaged
 * file is an error that names it (delete it and it is recomputed).
 *
 * <p>The words of each bin (the canonical ones; {@link Captioner} adds synonyms):
 *
 * <ul>
 *   <li>thickness: thin / regular / bold
 *   <li>slant: leaning left / upright / leaning right
 *   <li>size: small / medium / large
 *   <li>brightness: dark / mid-grey / bright
 * </ul>
 */
public final class CaptionBins {

    /** The version of the measures; bump it when a formula changes, so saved edges are redone. */
    public static final int VERSION = 1;

    private static final Map<String, List<String>> WORDS =
            Map.of(
                    "thickness", List.of("thin", "regular", "bold"),
                    "slant", List.of("leaning left", "upright", "leaning right"),
                    "size", List.of("small", "medium", "large"),
                    "brightness", List.of("dark", "mid-grey", "bright"));

    private final String dataset;
    private final List<String> attributes;
    private final double[][] edges;
    private final int images;

    private CaptionBins(String dataset, List<String> attributes, double[][] edges, int images) {
        this.dataset = dataset;
        this.attributes = List.copyOf(attributes);
        this.edges = edges;
        this.images = images;
        for (String a : this.attributes) {
            if (!WORDS.containsKey(a)) {
                throw new GenLabException("No caption words for the attribute '" + a + "'.");
            }
        }
    }

    /**
     * Computes the edges from measured training values.
     *
     * @param dataset the data set name, e.g. {@code mnist}
     * @param attributes the attribute names
     * @param values {@code [image][attribute]}, measured on the training split
     * @return the bins
     */
    public static CaptionBins fromValues(
            String dataset, List<String> attributes, double[][] values) {
        if (values.length < 3) {
            throw new GenLabException(
                    "Caption bins need at least 3 training images, got " + values.length + ".");
        }
        double[][] e = new double[attributes.size()][2];
        double[] column = new double[values.length];
        for (int a = 0; a < attributes.size(); a++) {
            for (int i = 0; i < values.length; i++) {
                column[i] = values[i][a];
            }
            Arrays.sort(column);
            e[a][0] = column[values.length / 3];
            e[a][1] = column[2 * values.length / 3];
        }
        return new CaptionBins(dataset, attributes, e, values.length);
    }

    /**
     * Loads the bins of a data set from {@link #file}, or computes them from the training values
     * and saves them there (atomically) when the file is missing or from another {@link #VERSION}.
     *
     * @param dataDir the data folder
     * @param dataset the data set name
     * @param attributes the attribute names
     * @param trainValues supplies {@code [image][attribute]} for the whole training split, called
     *     only when the bins must be computed
     * @return the bins
     * @throws GenLabException if the file is damaged (it names the file) or cannot be written
     */
    public static CaptionBins forDataset(
            Path dataDir,
            String dataset,
            List<String> attributes,
            Supplier<double[][]> trainValues) {
        Path f = file(dataDir, dataset);
        if (Files.exists(f)) {
            Properties p = read(f);
            if (Integer.toString(VERSION).equals(p.getProperty("version"))) {
                CaptionBins b = parse(f, p);
                if (b.dataset.equals(dataset) && b.attributes.equals(attributes)) {
                    return b;
                }
                throw new GenLabException(
                        f
                                + " holds bins of "
                                + b.dataset
                                + " "
                                + b.attributes
                                + ", not of "
                                + dataset
                                + " "
                                + attributes
                                + ": delete it and it will be recomputed.");
            }
        }
        CaptionBins b = fromValues(dataset, attributes, trainValues.get());
        b.save(f);
        return b;
    }

    /**
     * Returns where the bins of a data set are kept.
     *
     * @param dataDir the data folder
     * @param dataset the data set name
     * @return {@code <dataDir>/captions/<dataset>-bins.properties}
     */
    public static Path file(Path dataDir, String dataset) {
        return dataDir.resolve("captions").resolve(dataset + "-bins.properties");
    }

    /**
     * Writes the bins to a file atomically (a reader sees the old file or the new one).
     *
     * @param file the target, usually {@link #file}
     */
    public void save(Path file) {
        Properties p = new Properties();
        p.setProperty("version", Integer.toString(VERSION));
        p.setProperty("dataset", dataset);
        p.setProperty("images", Integer.toString(images));
        p.setProperty("attributes", String.join(",", attributes));
        for (int a = 0; a < attributes.size(); a++) {
            p.setProperty(attributes.get(a) + ".edges", edges[a][0] + "," + edges[a][1]);
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "GenLab caption bins: 1/3 and 2/3 quantiles of the training split");
        } catch (IOException e) {
            throw new GenLabException("Cannot format caption bins: " + e.getMessage(), e);
        }
        AtomicFiles.writeString(file, w.toString());
    }

    /**
     * Reads bins saved by {@link #save}.
     *
     * @param file the file
     * @return the bins
     * @throws GenLabException if the file is missing, from another version or damaged
     */
    public static CaptionBins load(Path file) {
        Properties p = read(file);
        if (!Integer.toString(VERSION).equals(p.getProperty("version"))) {
            throw damaged(file, "version " + p.getProperty("version") + ", expected " + VERSION);
        }
        return parse(file, p);
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(file, "unreadable (" + e.getMessage() + ")");
        }
        return p;
    }

    private static CaptionBins parse(Path file, Properties p) {
        String dataset = p.getProperty("dataset");
        String names = p.getProperty("attributes");
        if (dataset == null || names == null || names.isBlank()) {
            throw damaged(file, "no dataset or attributes");
        }
        List<String> attributes = List.of(names.split(","));
        double[][] e = new double[attributes.size()][];
        int images;
        try {
            images = Integer.parseInt(p.getProperty("images", "").trim());
            for (int a = 0; a < attributes.size(); a++) {
                String v = p.getProperty(attributes.get(a) + ".edges");
                if (v == null) {
                    throw damaged(file, "no edges for " + attributes.get(a));
                }
                String[] parts = v.split(",");
                if (parts.length != 2) {
                    throw damaged(file, attributes.get(a) + ".edges needs two numbers");
                }
                e[a] = new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
                if (!Double.isFinite(e[a][0]) || !Double.isFinite(e[a][1]) || e[a][0] > e[a][1]) {
                    throw damaged(file, attributes.get(a) + ".edges " + v + " are not in order");
                }
            }
        } catch (NumberFormatException ex) {
            throw damaged(file, "a number cannot be read (" + ex.getMessage() + ")");
        }
        try {
            return new CaptionBins(dataset, attributes, e, images);
        } catch (GenLabException ex) {
            throw damaged(file, ex.getMessage());
        }
    }

    private static GenLabException damaged(Path file, String what) {
        return new GenLabException(
                "The caption bins file "
                        + file
                        + " is damaged: "
                        + what
                        + ". Delete it; GenLab recomputes it from the training split.");
    }

    /**
     * Returns the data set these bins were computed on.
     *
     * @return e.g. {@code mnist}
     */
    public String dataset() {
        return dataset;
    }

    /**
     * Returns the attribute names.
     *
     * @return e.g. {@code [thickness, slant, size]}
     */
    public List<String> attributes() {
        return attributes;
    }

    /**
     * Returns how many training images the edges were computed from.
     *
     * @return e.g. 60000
     */
    public int images() {
        return images;
    }

    /**
     * Returns the two edges of one attribute.
     *
     * @param attribute its index
     * @return {@code {e₁, e₂}}, the 1/3 and 2/3 quantiles
     */
    public double[] edges(int attribute) {
        return edges[attribute].clone();
    }

    /**
     * Returns the bin of a value.
     *
     * @param attribute the attribute index
     * @param value its measured value
     * @return 0 (low), 1 (middle) or 2 (high)
     */
    public int bin(int attribute, double value) {
        double[] e = edges[attribute];
        return value < e[0] ? 0 : value < e[1] ? 1 : 2;
    }

    /**
     * Returns the bins of all attributes of one image.
     *
     * @param values the measured values, one per attribute
     * @return one bin per attribute
     */
    public int[] bins(double[] values) {
        int[] b = new int[attributes.size()];
        for (int a = 0; a < b.length; a++) {
            b[a] = bin(a, values[a]);
        }
        return b;
    }

    /**
     * Returns the canonical words of the three bins of an attribute.
     *
     * @param attribute the attribute index
     * @return low, middle, high, e.g. {@code [thin, regular, bold]}
     */
    public List<String> words(int attribute) {
        return words(attributes.get(attribute));
    }

    /**
     * Returns the canonical words of the three bins of an attribute, by name.
     *
     * @param attribute e.g. {@code thickness}
     * @return low, middle, high
     */
    public static List<String> words(String attribute) {
        List<String> w = WORDS.get(attribute);
        if (w == null) {
            throw new GenLabException("No caption words for the attribute '" + attribute + "'.");
        }
        return w;
    }

    /**
     * Returns the edges in one line per attribute, e.g. {@code thickness: thin < 1.87 <= regular <
     * 2.31 <= bold}.
     *
     * @return a printable table
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int a = 0; a < attributes.size(); a++) {
            List<String> w = words(a);
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%s: %s < %.4f <= %s < %.4f <= %s%n",
                            attributes.get(a),
                            w.get(0),
                            edges[a][0],
                            w.get(1),
                            edges[a][1],
                            w.get(2)));
        }
        return s.toString();
    }
}
