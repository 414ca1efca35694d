package cnnkit.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Curves through arbitrary (x, y) points, for what {@link Charts} plots against epochs only:
 * the loss against the learning rate, optimizer paths over the contours of a 2-D loss surface,
 * and histograms of values (activations, gradients) side by side.
 * <pre>{@code
 * display(Curves.xy("LR range test", "learning rate", "loss", Map.of("loss", new double[][] {lrs, losses}), true));
 * display(Curves.histograms("tanh outputs", "value", perLayerValues, 40));
 * }</pre>
 * Series come in map order (use a {@code LinkedHashMap}), one colour each.
 */
public final class Curves {
    static {
        Style.ensureHeadless();
    }

    private Curves() {
    }

    /** Named series {@code {x[], y[]}} as lines; with {@code logX} the x axis is logarithmic (x > 0). */
    public static BufferedImage xy(String title, String xTitle, String yTitle, Map<String, double[][]> series,
            boolean logX) {
        XYChart chart = chart(title, xTitle, yTitle);
        chart.getStyler().setXAxisLogarithmic(logX);
        int i = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] xy = checkSeries("xy", e.getKey(), e.getValue());
            XYSeries s = chart.addSeries(e.getKey(), xy[0], xy[1]);
            style(s, Style.color(i++), 2f, false);
        }
        return Style.render(chart);
    }

    /**
     * Paths {@code {x[], y[]}} drawn with a marker at every point (e.g. one optimizer's iterates),
     * over {@code contours}, closed curves {@code {x[], y[]}} of equal loss drawn thin and grey and
     * left out of the legend. The axes span the contours, each axis to its own scale.
     */
    public static BufferedImage paths(String title, double[][][] contours, Map<String, double[][]> paths) {
        XYChart chart = chart(title, "x", "y");
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < contours.length; k++) {
            double[][] c = checkSeries("paths", "contour " + k, contours[k]);
            XYSeries s = chart.addSeries("contour " + k, c[0], c[1]);
            style(s, new Color(190, 190, 190), 1f, false);
            s.setShowInLegend(false);
            for (int j = 0; j < c[0].length; j++) {
                xmin = Math.min(xmin, c[0][j]);
                xmax = Math.max(xmax, c[0][j]);
                ymin = Math.min(ymin, c[1][j]);
                ymax = Math.max(ymax, c[1][j]);
            }
        }
        int i = 0;
        for (Map.Entry<String, double[][]> e : paths.entrySet()) {
            double[][] p = checkSeries("paths", e.getKey(), e.getValue());
            style(chart.addSeries(e.getKey(), p[0], p[1]), Style.color(i++), 1.5f, true);
        }
        if (contours.length > 0) {
            // The axes span the contours; the paths may leave them (a diverging method would squash the picture).
            chart.getStyler().setXAxisMin(xmin);
            chart.getStyler().setXAxisMax(xmax);
            chart.getStyler().setYAxisMin(ymin);
            chart.getStyler().setYAxisMax(ymax);
        }
        return Style.render(chart);
    }

    /**
     * One histogram per named sample, drawn as a line through the bin centres so that several
     * fit on one chart: the fraction of each sample's values in each of {@code bins} equal bins
     * spanning the smallest to the largest value of all samples together.
     */
    public static BufferedImage histograms(String title, String xTitle, Map<String, double[]> samples, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("Curves.histograms: need at least 2 bins, got " + bins);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            if (e.getValue().length == 0) {
                throw new IllegalArgumentException("Curves.histograms: sample '" + e.getKey() + "' is empty");
            }
            for (double v : e.getValue()) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Curves.histograms: sample '" + e.getKey() + "' holds " + v);
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double width = hi > lo ? (hi - lo) / bins : 1.0;
        XYChart chart = chart(title, xTitle, "fraction of values");
        chart.getStyler().setXAxisDecimalPattern(tickPattern(Math.max(Math.abs(lo), Math.abs(hi))));
        int i = 0;
        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            double[][] h = histogram(e.getValue(), lo, width, bins);
            style(chart.addSeries(e.getKey(), h[0], h[1]), Style.color(i++), 2f, false);
        }
        if (samples.size() > Charts.MAX_LEGEND_ENTRIES_BELOW) {
            chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
            chart.getStyler().setLegendLayout(LegendLayout.Vertical);
        }
        return Style.render(chart);
    }

    /** Bin centres and the fraction of {@code values} in each bin [lo + b * width, lo + (b + 1) * width). */
    static double[][] histogram(double[] values, double lo, double width, int bins) {
        double[] centre = new double[bins];
        double[] fraction = new double[bins];
        for (int b = 0; b < bins; b++) {
            centre[b] = lo + (b + 0.5) * width;
        }
        for (double v : values) {
            int b = Math.min(bins - 1, Math.max(0, (int) ((v - lo) / width)));
            fraction[b] += 1.0 / values.length;
        }
        return new double[][] {centre, fraction};
    }

    /** Tick labels with a few significant digits: plain for ordinary values, scientific for tiny ones. */
    static String tickPattern(double largest) {
        return largest > 0 && largest < 0.01 ? "0.#E0" : "0.###";
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(Style.WIDTH).height(Style.HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(LegendLayout.Horizontal);
        return chart;
    }

    private static void style(XYSeries s, Color color, float width, boolean markers) {
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(new BasicStroke(width));
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static double[][] checkSeries(String chart, String name, double[][] xy) {
        if (xy.length != 2 || xy[0].length != xy[1].length || xy[0].length == 0) {
            throw new IllegalArgumentException("Curves." + chart + ": series '" + name
                    + "' must be {x[], y[]} of equal, non-zero length");
        }
        return xy;
    }
}
