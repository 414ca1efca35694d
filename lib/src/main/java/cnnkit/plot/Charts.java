package cnnkit.plot;

import cnnkit.data.Dataset;
import cnnkit.layers.Conv2D;
import cnnkit.tensor.Tensor;
import cnnkit.train.AtomicFile;
import cnnkit.train.Evaluation;
import cnnkit.train.History;
import cnnkit.train.Prediction;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every chart a notebook needs, each returned as an image for {@code display(...)} and
 * savable as PNG with {@link #save}:
 * <pre>{@code
 * display(Charts.loss(history));
 * display(Charts.compareAccuracy(lenet, alexnet, vgg));
 * display(Charts.confusion(Evaluation.of(model, testSet)));
 * Charts.save(Charts.kernels(conv1), Path.of("kernels.png"));
 * }</pre>
 * Curves are drawn with XChart (640x400 pixels); image grids and the confusion heatmap with
 * Java2D ({@link ImageGrid}, {@link Heatmap}). All drawing is headless.
 */
public final class Charts {
    static {
        Style.ensureHeadless();
    }

    private Charts() {
    }

    // ---- training curves ----

    /**
     * The loss of one run against the batch number: every batch (pale), a moving average of
     * the batches (the trend), and each epoch's mean plotted at the middle of its epoch. The
     * moving average's window is a tenth of an epoch, at least 1 and at most 100 batches.
     */
    public static BufferedImage loss(History h) {
        return loss(h, Math.max(1, Math.min(100, h.batchesPerEpoch() / 10)));
    }

    /** {@link #loss(History)} with a moving-average window of {@code window} batches. */
    public static BufferedImage loss(History h, int window) {
        double[] batch = h.batchLosses();
        if (batch.length == 0) {
            throw new IllegalArgumentException("Charts.loss: history '" + h.name() + "' has no batches to plot");
        }
        int per = Math.max(1, h.batchesPerEpoch());
        double[] x = new double[batch.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        XYChart chart = xyChart("Loss: " + h.name(), "batch (" + per + " per epoch)", "loss");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        roundTicks(chart);
        line(chart, "batch", x, batch, Style.lighter(Style.color(0), 0.65), 1f);
        if (window > 1 && batch.length >= window) {
            line(chart, "moving average (" + window + " batches)", x, movingAverage(batch, window), Style.color(0), 2f);
        }
        double[] epochLoss = h.trainLoss();
        if (epochLoss.length > 0) {
            double[] middles = epochMiddles(epochLoss.length);
            for (int e = 0; e < middles.length; e++) {
                middles[e] *= per;
            }
            XYSeries s = chart.addSeries("epoch mean", middles, epochLoss);
            s.setLineColor(Style.color(1));
            s.setMarkerColor(Style.color(1));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return Style.render(chart);
    }

    /** Training and (if recorded) validation accuracy per epoch, in percent. */
    public static BufferedImage accuracy(History h) {
        requireEpochs(h, "accuracy");
        XYChart chart = xyChart("Accuracy: " + h.name(), "epoch", "accuracy (%)");
        double[] x = epochNumbers(h.epochs());
        epochLine(chart, "train", x, percent(h.trainAccuracy()), Style.color(0), false);
        if (h.hasValidation()) {
            epochLine(chart, "validation", x, percent(h.valAccuracy()), Style.color(1), false);
        }
        return Style.render(chart);
    }

    /**
     * Several runs' per-epoch training loss (solid) and validation loss (dashed). Run i has the
     * same colour and the same line styles here and in {@link #compareAccuracy}, so the two
     * charts read alike: colour = run, solid = training, dashed = validation.
     */
    public static BufferedImage compareLoss(History... runs) {
        return compareLoss(Arrays.asList(runs));
    }

    public static BufferedImage compareLoss(List<History> runs) {
        return renderWithLegend(compareLossChart(runs));
    }

    static XYChart compareLossChart(List<History> runs) {
        return compareChart(runs, "compareLoss", "Loss per epoch", "loss", History::trainLoss, History::valLoss);
    }

    /**
     * Several runs' accuracy per epoch, styled as in {@link #compareLoss}: one colour per run,
     * training accuracy solid and validation accuracy dashed.
     */
    public static BufferedImage compareAccuracy(History... runs) {
        return compareAccuracy(Arrays.asList(runs));
    }

    public static BufferedImage compareAccuracy(List<History> runs) {
        return renderWithLegend(compareAccuracyChart(runs));
    }

    static XYChart compareAccuracyChart(List<History> runs) {
        return compareChart(runs, "compareAccuracy", "Accuracy per epoch", "accuracy (%)",
                h -> percent(h.trainAccuracy()), h -> percent(h.valAccuracy()));
    }

    /** One colour per run: its training values solid and, if it has validation, those dashed. */
    private static XYChart compareChart(List<History> runs, String caller, String title, String yTitle,
                                        Function<History, double[]> train, Function<History, double[]> validation) {
        XYChart chart = xyChart(title, "epoch", yTitle);
        for (int i = 0; i < runs.size(); i++) {
            History h = runs.get(i);
            requireEpochs(h, caller);
            double[] x = epochNumbers(h.epochs());
            epochLine(chart, h.name() + " train", x, train.apply(h), Style.color(i), false);
            if (h.hasValidation()) {
                epochLine(chart, h.name() + " val", x, validation.apply(h), Style.color(i), true);
            }
        }
        return chart;
    }

    // ---- general charts ----

    /** Line chart of named series against 1, 2, 3, ... (e.g. epochs). */
    public static BufferedImage lines(String title, String xTitle, String yTitle, Map<String, double[]> series) {
        XYChart chart = xyChart(title, xTitle, yTitle);
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            epochLine(chart, e.getKey(), epochNumbers(e.getValue().length), e.getValue(), Style.color(i++), false);
        }
        return renderWithLegend(chart);
    }

    /**
     * Line chart of named series against the x values {@code x} (e.g. a perturbation size), one
     * colour per series, with markers; every series needs one value per x.
     */
    public static BufferedImage lines(String title, String xTitle, String yTitle, double[] x,
                                      Map<String, double[]> series) {
        XYChart chart = xyChart(title, xTitle, yTitle);
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != x.length) {
                throw new IllegalArgumentException("Charts.lines: series '" + e.getKey() + "' has "
                        + e.getValue().length + " values for " + x.length + " x values");
            }
            epochLine(chart, e.getKey(), x, e.getValue(), Style.color(i++), false);
        }
        return renderWithLegend(chart);
    }

    /**
     * Grouped bars: one group per name (e.g. per layer), one bar per series (e.g. "plain" and
     * "residual" gradient norms). With {@code logY} the value axis is logarithmic, which needs
     * every value positive.
     */
    public static BufferedImage bars(String title, List<String> names, Map<String, double[]> series, boolean logY) {
        CategoryChart chart = new CategoryChartBuilder().width(Style.WIDTH).height(Style.HEIGHT).title(title).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(LegendLayout.Horizontal);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setXAxisLabelRotation(names.size() > 8 ? 45 : 0);
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] v = e.getValue();
            if (v.length != names.size()) {
                throw new IllegalArgumentException("Charts.bars: series '" + e.getKey() + "' has " + v.length
                        + " values for " + names.size() + " names");
            }
            List<Double> values = new ArrayList<>();
            for (double d : v) {
                if (logY && !(d > 0)) {
                    throw new IllegalArgumentException("Charts.bars: a logarithmic axis needs positive values; series '"
                            + e.getKey() + "' has " + d);
                }
                values.add(d);
            }
            chart.addSeries(e.getKey(), names, values).setFillColor(Style.color(i++));
        }
        if (logY) {
            // Bars grow from the axis minimum, which XChart would otherwise put at 0, impossible on a log axis.
            double min = series.values().stream().flatMapToDouble(Arrays::stream).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min * 0.999))));
        }
        return Style.render(chart);
    }

    // ---- images ----

    /** The first {@code count} samples of a dataset with their labels. */
    public static BufferedImage samples(Dataset data, int count) {
        return samples(data, count, null);
    }

    /** The first {@code count} samples captioned with their class names. */
    public static BufferedImage samples(Dataset data, int count, List<String> classNames) {
        return ImageGrid.samples(data, ImageGrid.firstN(data.size(), count), null, classNames);
    }

    /**
     * The first {@code count} samples with true and predicted labels ({@code p} predicts the
     * whole dataset, as {@code Prediction.of(model, data)} returns it); wrong ones in red.
     */
    public static BufferedImage predictions(Dataset data, Prediction p, int count) {
        return predictions(data, p, count, null);
    }

    public static BufferedImage predictions(Dataset data, Prediction p, int count, List<String> classNames) {
        return ImageGrid.samples(data, ImageGrid.firstN(data.size(), count), p, classNames);
    }

    /** Up to {@code count} misclassified samples, in dataset order, with true and predicted labels. */
    public static BufferedImage mistakes(Dataset data, Prediction p, int count) {
        return mistakes(data, p, count, null);
    }

    public static BufferedImage mistakes(Dataset data, Prediction p, int count, List<String> classNames) {
        return ImageGrid.samples(data, ImageGrid.mistakes(data, p, count), p, classNames);
    }

    /**
     * Conv kernels {@code weight (F, C, k, k)} as a grid of F*C large, captioned tiles on one
     * shared scale with a colour bar: blue negative, white 0, red positive (see {@link ImageGrid}).
     */
    public static BufferedImage kernels(Tensor weight) {
        return ImageGrid.kernels(weight);
    }

    public static BufferedImage kernels(Conv2D conv) {
        return ImageGrid.kernels(conv.weight().value());
    }

    /**
     * Activations {@code (1, F, H, W)} or {@code (F, H, W)} as F large tiles captioned "map i", on
     * one shared scale with a colour bar: grey (black 0, white the maximum) when no value is
     * negative, blue-white-red otherwise.
     */
    public static BufferedImage featureMaps(Tensor activations) {
        return ImageGrid.featureMaps(activations);
    }

    /**
     * Grey images {@code (H, W)}, {@code (1, H, W)} or {@code (1, 1, H, W)} captioned with their
     * names, in map order (use a {@code LinkedHashMap}), {@code columns} per row; each tile is
     * scaled to its own range.
     */
    public static BufferedImage images(String title, Map<String, Tensor> images, int columns) {
        return ImageGrid.named(title, images, columns);
    }

    /**
     * Grey images like {@link #images}, but each on its own scale symmetric around 0: blue
     * negative, white 0, red positive, the caption giving the largest magnitude. For input
     * gradients (saliency), class activation maps and differences between two images.
     */
    public static BufferedImage signedImages(String title, Map<String, Tensor> images, int columns) {
        return ImageGrid.signed(title, images, columns);
    }

    /** The confusion matrix as a heatmap with counts, classes numbered. */
    public static BufferedImage confusion(Evaluation e) {
        return Heatmap.confusion(e.confusion(), null, e.dataset() + String.format(Locale.ROOT, ": accuracy %.2f%%",
                100 * e.accuracy()));
    }

    /** The confusion matrix with class names. */
    public static BufferedImage confusion(Evaluation e, List<String> classNames) {
        return Heatmap.confusion(e.confusion(), classNames, e.dataset() + String.format(Locale.ROOT, ": accuracy %.2f%%",
                100 * e.accuracy()));
    }

    // ---- files ----

    /** Writes {@code image} as PNG, atomically, and returns it (so {@code display(save(...))} works). */
    public static BufferedImage save(BufferedImage image, Path file) {
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
        return image;
    }

    // ---- helpers ----

    /** Trailing moving average: point i is the mean of values max(0, i-window+1)..i. */
    public static double[] movingAverage(double[] values, int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("movingAverage: window must be positive, got " + window);
        }
        double[] out = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
            if (i >= window) {
                sum -= values[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** Legend entries that still fit in one row below a 640-pixel chart. */
    static final int MAX_LEGEND_ENTRIES_BELOW = 6;

    /**
     * Renders a chart whose legend may be long: up to {@link #MAX_LEGEND_ENTRIES_BELOW} entries stay
     * in one row below the plot; more would run off the image's sides (a row does not wrap), so
     * they go into a column to the right of the plot instead.
     */
    private static BufferedImage renderWithLegend(XYChart chart) {
        long entries = chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).count();
        if (entries > MAX_LEGEND_ENTRIES_BELOW) {
            chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
            chart.getStyler().setLegendLayout(LegendLayout.Vertical);
        }
        return Style.render(chart);
    }

    private static XYChart xyChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(Style.WIDTH).height(Style.HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        if (yTitle.startsWith("accuracy")) {
            // With a single epoch the axis spans one value, and XChart would print it with all its digits.
            chart.getStyler().setYAxisDecimalPattern("0.##");
        }
        // Below the plot, so the legend never hides a curve.
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(LegendLayout.Horizontal);
        return chart;
    }

    /**
     * XChart puts the x ticks on data points (e.g. 1, 17, 33, ...) when every x value is equally
     * spaced, as batch numbers are; one hidden point off that grid makes it choose round numbers.
     */
    private static void roundTicks(XYChart chart) {
        XYSeries hidden = chart.addSeries(" ", new double[] {0.5}, new double[] {0});
        hidden.setEnabled(false);
        hidden.setShowInLegend(false);
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color, float width) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(width);
    }

    /** A per-epoch line with markers; NaN points (e.g. missing validation) are left out. */
    private static void epochLine(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(2f));
    }

    private static double[] epochNumbers(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static double[] epochMiddles(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 0.5;
        }
        return x;
    }

    private static double[] percent(double[] fractions) {
        double[] p = new double[fractions.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 100 * fractions[i];
        }
        return p;
    }

    private static void requireEpochs(History h, String chart) {
        if (h.epochs() == 0) {
            throw new IllegalArgumentException("Charts." + chart + ": history '" + h.name()
                    + "' has no completed epoch to plot");
        }
    }
}
