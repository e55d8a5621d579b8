package org.genlab.core.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.genlab.core.train.LossHistory;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir Path dir;

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> s = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                s.add(img.getRGB(x, y));
            }
        }
        return s.size();
    }

    @Test
    void everyChartRendersHeadlessToPng() throws Exception {
        LossHistory h = new LossHistory();
        for (int i = 1; i <= 20; i++) {
            h.add(i * 10L, Map.of("D", 1f / i, "G", (float) Math.log(i + 1)));
        }
        float[][] pts = {{0, 0}, {1, 1}, {-1, 0.5f}};
        float[][] vec = {{0.1f, 0}, {0, -0.2f}, {0.3f, 0.3f}};
        JFreeChart[] charts = {
            Charts.lossCurves(h, "losses"),
            Charts.histogram(Map.of("real", new double[] {-1, -1, 1, 0.9}), 10, -1, 1, "pixels"),
            Charts.scatter(Map.of("data", pts), "points"),
            Charts.vectorField(pts, vec, pts, "drift"),
            Charts.bars(
                    new java.util.LinkedHashMap<>(Map.of("GAN", 5000.0, "DDIM-50", 40.0)),
                    "speed",
                    "images/s",
                    true)
        };
        for (int i = 0; i < charts.length; i++) {
            Path f = dir.resolve("c" + i + ".png");
            Charts.writePng(charts[i], f, 400, 300);
            BufferedImage img = ImageIO.read(f.toFile());
            assertThat(img.getWidth()).isEqualTo(400);
            assertThat(img.getHeight()).isEqualTo(300);
            assertThat(distinctColours(img)).as("chart %d draws something", i).isGreaterThan(5);
        }
        assertThat(charts[0].getXYPlot().getDataset().getSeriesCount()).isEqualTo(2);
    }

    @Test
    void logBarsSpanWholePowersOfTenAroundTheBarsWithRoomForTheLabel() {
        org.jfree.chart.axis.ValueAxis axis =
                Charts.bars(
                                new java.util.LinkedHashMap<>(
                                        Map.of("GAN", 2358.6, "DDPM-1000", 0.3, "DDIM-50", 5.4)),
                                "speed",
                                "images/s",
                                true)
                        .getCategoryPlot()
                        .getRangeAxis();
        assertThat(axis.getLowerBound()).isCloseTo(0.01, within(1e-9));
        assertThat(axis.getUpperBound()).isCloseTo(1e5, within(1e-6));
        org.jfree.chart.axis.ValueAxis single =
                Charts.bars(Map.of("GAN", 2358.6), "speed", "images/s", true)
                        .getCategoryPlot()
                        .getRangeAxis();
        assertThat(single.getLowerBound()).isCloseTo(100, within(1e-6));
        assertThat(single.getUpperBound()).isCloseTo(1e5, within(1e-6));
    }

    @Test
    void lossHistoryCsvRoundTrips() {
        LossHistory h = new LossHistory();
        h.add(5, Map.of("D", 0.25f));
        h.add(10, new java.util.LinkedHashMap<>(Map.of("D", 0.5f, "G", 2f)));
        LossHistory back = LossHistory.fromCsv(h.toCsv());
        assertThat(back.steps()).containsExactly(5L, 10L);
        assertThat(back.series("D")).containsExactly(0.25f, 0.5f);
        assertThat(back.series("G").get(0)).isNaN();
        assertThat(back.series("G").get(1)).isEqualTo(2f);
    }
}
