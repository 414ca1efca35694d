package cnnkit.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The look shared by every chart, and the headless switch.
 *
 * <p>Charts are drawn into images, never into windows, so AWT runs headless; the property
 * must be set before AWT starts, which is why every public class of this package touches
 * this one in its static initialiser. An explicit {@code -Djava.awt.headless=...} is respected.
 */
final class Style {
    // First, before any AWT class below is initialised.
    static {
        ensureHeadless();
    }

    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    /** Distinct colours for series, in order (the familiar "tab10" hues). */
    static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Style() {
    }

    static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** A lighter version of {@code c}, mixed with white by {@code amount} (0..1). */
    static Color lighter(Color c, double amount) {
        return new Color(mix(c.getRed(), 255, amount), mix(c.getGreen(), 255, amount), mix(c.getBlue(), 255, amount));
    }

    static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    /** White backgrounds, legend inside the plot, readable fonts. */
    static void apply(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.LIGHT_GRAY);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleFont(TITLE_FONT);
        s.setLegendFont(TEXT_FONT);
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
    }

    static BufferedImage render(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** A white canvas with antialiased text, for the charts drawn by hand. */
    static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }
}
