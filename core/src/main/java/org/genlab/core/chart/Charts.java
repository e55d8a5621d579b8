package org.genlab.core.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.genlab.core.checkpoint.AtomicFiles;
import org.genlab.core.train.LossHistory;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.VectorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.VectorSeries;
import org.jfree.data.xy.VectorSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Builds the charts GenLab shows. Each method returns a {@link JFreeChart}; {@link #toImage} and
 * {@link #writePng} render it without a display.
 */
public final class Charts {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private Charts() {}

    /**
     * Plots every loss of a run against the step.
     *
     * @param history the losses
     * @param title the chart title
     * @return the chart
     */
    public static JFreeChart lossCurves(LossHistory history, String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Long> steps = history.steps();
        for (String name : history.names()) {
            XYSeries s = new XYSeries(name, false, true);
            List<Float> v = history.series(name);
            for (int i = 0; i < steps.size(); i++) {
                if (!Float.isNaN(v.get(i))) {
                    s.add(steps.get(i).doubleValue(), v.get(i).doubleValue());
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title, "step", "value", data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    /**
     * Plots histograms of one or more sets of values (e.g. pixel values of real and generated
     * images), overlaid.
     *
     * @param series name to values
     * @param bins the number of bins
     * @param min lower edge of the first bin
     * @param max upper edge of the last bin
     * @param title the chart title
     * @return the chart
     */
    public static JFreeChart histogram(
            Map<String, double[]> series, int bins, double min, double max, String title) {
        HistogramDataset data = new HistogramDataset();
        data.setType(org.jfree.data.statistics.HistogramType.RELATIVE_FREQUENCY);
        series.forEach((name, values) -> data.addSeries(name, values, bins, min, max));
        JFreeChart chart =
                ChartFactory.createHistogram(
                        title,
                        "value",
                        "share",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.6f);
        for (int i = 0; i < series.size(); i++) {
            plot.getRenderer().setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        return chart;
    }

    /**
     * Copies (N, 2) points from the device to the host, for {@link #scatter}.
     *
     * @param points (N, 2) float32
     * @return N × {x, y}
     */
    public static float[][] toPoints(ai.djl.ndarray.NDArray points) {
        float[] f = points.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int n = f.length / 2;
        float[][] p = new float[n][2];
        for (int i = 0; i < n; i++) {
            p[i][0] = f[2 * i];
            p[i][1] = f[2 * i + 1];
        }
        return p;
    }

    /**
     * Plots 2D point clouds, one colour per set (e.g. real data and samples).
     *
     * @param series name to points, each {@code {x, y}}
     * @param title the chart title
     * @return the chart
     */
    public static JFreeChart scatter(Map<String, float[][]> series, String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach(
                (name, pts) -> {
                    XYSeries s = new XYSeries(name, false, true);
                    for (float[] p : pts) {
                        s.add(p[0], p[1]);
                    }
                    data.addSeries(s);
                });
        JFreeChart chart =
                ChartFactory.createScatterPlot(
                        title, "x", "y", data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        java.awt.Shape dot = new java.awt.geom.Ellipse2D.Double(-1.5, -1.5, 3, 3);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesShape(i, dot);
            Color c = PALETTE[i % PALETTE.length];
            r.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 140));
        }
        plot.setRenderer(r);
        return chart;
    }

    /**
     * Plots a 2D vector field: an arrow from each point along its vector, optionally over a point
     * cloud (e.g. the drift of reverse diffusion at time t over the data).
     *
     * @param points the arrow tails, each {@code {x, y}}
     * @param vectors the arrows, each {@code {dx, dy}}, drawn at their true length
     * @param background points to draw underneath, or {@code null}
     * @param title the chart title
     * @return the chart
     */
    public static JFreeChart vectorField(
            float[][] points, float[][] vectors, float[][] background, String title) {
        VectorSeries vs = new VectorSeries("drift");
        for (int i = 0; i < points.length; i++) {
            vs.add(points[i][0], points[i][1], vectors[i][0], vectors[i][1]);
        }
        VectorSeriesCollection field = new VectorSeriesCollection();
        field.addSeries(vs);
        NumberAxis x = new NumberAxis("x");
        NumberAxis y = new NumberAxis("y");
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        VectorRenderer vr = new VectorRenderer();
        vr.setSeriesPaint(0, PALETTE[1]);
        XYPlot plot = new XYPlot(field, x, y, vr);
        if (background != null) {
            XYSeries s = new XYSeries("data", false, true);
            for (float[] p : background) {
                s.add(p[0], p[1]);
            }
            XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
            dots.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-1.5, -1.5, 3, 3));
            dots.setSeriesPaint(0, new Color(31, 119, 180, 110));
            plot.setDataset(1, new XYSeriesCollection(s));
            plot.setRenderer(1, dots);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        style(chart);
        return chart;
    }

    /**
     * Draws a horizontal bar chart, e.g. sampling speed per sampler.
     *
     * @param values label to value, in the order drawn
     * @param title the chart title
     * @param axis the value axis label, e.g. {@code images/s}
     * @param logScale true for a logarithmic value axis (values must be positive)
     * @return the chart
     */
    public static JFreeChart bars(
            Map<String, Double> values, String title, String axis, boolean logScale) {
        org.jfree.data.category.DefaultCategoryDataset data =
                new org.jfree.data.category.DefaultCategoryDataset();
        values.forEach((k, v) -> data.addValue(v, axis, k));
        JFreeChart chart =
                ChartFactory.createBarChart(
                        title, "", axis, data, PlotOrientation.HORIZONTAL, false, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        org.jfree.chart.plot.CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        org.jfree.chart.renderer.category.BarRenderer r =
                (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
        r.setSeriesPaint(0, PALETTE[0]);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setDefaultItemLabelGenerator(
                new org.jfree.chart.labels.StandardCategoryItemLabelGenerator(
                        "{2}", new java.text.DecimalFormat("#,##0.0")));
        r.setDefaultItemLabelsVisible(true);
        if (logScale) {
            // whole powers of ten, from a decade below the slowest bar to well above the fastest
            // (its label needs room), labelled 0.1, 1, 10, 1,000 rather than 10^-1 …
            double lo = values.values().stream().mapToDouble(Double::doubleValue).min().orElse(1);
            double hi = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
            org.jfree.chart.axis.LogAxis log = new org.jfree.chart.axis.LogAxis(axis);
            log.setBase(10);
            log.setSmallestValue(1e-3);
            log.setRange(
                    Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-3))) - 1),
                    Math.pow(10, Math.ceil(Math.log10(Math.max(hi, 1e-3) * 5))));
            log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
            log.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
            plot.setRangeAxis(log);
            chart.setPadding(
                    new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 30)); // last tick label
        }
        return chart;
    }

    /**
     * Renders a chart to a picture.
     *
     * @param chart the chart
     * @param width pixels
     * @param height pixels
     * @return the picture
     */
    public static BufferedImage toImage(JFreeChart chart, int width, int height) {
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
    }

    /**
     * Renders a chart to a PNG file, atomically: a failure (disk full, no permission) is one {@link
     * org.genlab.core.GenLabException} and leaves the previous file as it was. The PNG is assembled
     * in memory, not in ImageIO's cache file under {@code java.io.tmpdir}.
     *
     * @param chart the chart
     * @param file the PNG
     * @param width pixels
     * @param height pixels
     */
    public static void writePng(JFreeChart chart, java.nio.file.Path file, int width, int height) {
        BufferedImage img = toImage(chart, width, height);
        AtomicFiles.write(
                file,
                out -> {
                    try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                        if (!ImageIO.write(img, "png", png)) {
                            throw new IOException("this Java has no PNG writer");
                        }
                    }
                });
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
    }
}
