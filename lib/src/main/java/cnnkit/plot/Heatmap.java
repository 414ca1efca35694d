package cnnkit.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix drawn as a heatmap: rows are true classes, columns predicted classes,
 * every cell shows its count. A cell's colour is its share of its row (white 0% to dark blue
 * 100%), so the diagonal shows each class's recall whatever the class sizes.
 */
public final class Heatmap {
    static {
        Style.ensureHeadless();
    }

    private static final Color FULL = new Color(8, 48, 107);
    private static final int MARGIN = 12;

    private Heatmap() {
    }

    /** {@code confusion[t][p]}: samples of true class t predicted as p. Class names may be null. */
    public static BufferedImage confusion(int[][] confusion, List<String> classNames, String title) {
        int k = confusion.length;
        for (int[] row : confusion) {
            if (row.length != k) {
                throw new IllegalArgumentException("Heatmap.confusion: the matrix must be square, got " + k
                        + " rows and a row of " + row.length);
            }
        }
        int cell = Math.max(14, Math.min(48, 480 / Math.max(1, k)));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(Style.TEXT_FONT);
        int labelW = 0;
        for (int i = 0; i < k; i++) {
            labelW = Math.max(labelW, fm.stringWidth(label(i, classNames)));
        }
        int left = MARGIN + fm.getHeight() + 6 + labelW + 6;
        int top = 30 + fm.getHeight() + 4 + labelW + 6;
        int width = Math.max(left + k * cell + MARGIN, fm.stringWidth(title) + 2 * MARGIN);
        int height = top + k * cell + MARGIN;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Style.canvas(img);
        drawLabels(g, fm, title, classNames, k, cell, left, top);
        drawCells(g, confusion, cell, left, top);
        g.dispose();
        return img;
    }

    private static void drawLabels(Graphics2D g, FontMetrics fm, String title, List<String> names, int k, int cell,
                                   int left, int top) {
        g.setColor(Color.BLACK);
        g.setFont(Style.TITLE_FONT);
        g.drawString(title, MARGIN, 20);
        g.setFont(Style.TEXT_FONT);
        g.drawString("predicted", left + (k * cell - fm.stringWidth("predicted")) / 2, 30 + fm.getAscent());
        for (int i = 0; i < k; i++) {
            String s = label(i, names);
            g.drawString(s, left - 6 - fm.stringWidth(s), top + i * cell + (cell + fm.getAscent()) / 2 - 1);
            // Column labels run upwards so long class names fit above narrow cells.
            AffineTransform saved = g.getTransform();
            g.translate(left + i * cell + (cell + fm.getAscent()) / 2 - 1, top - 6);
            g.rotate(-Math.PI / 2);
            g.drawString(s, 0, 0);
            g.setTransform(saved);
        }
        AffineTransform saved = g.getTransform();
        g.translate(MARGIN + fm.getAscent(), top + (k * cell + fm.stringWidth("true")) / 2);
        g.rotate(-Math.PI / 2);
        g.drawString("true", 0, 0);
        g.setTransform(saved);
    }

    private static void drawCells(Graphics2D g, int[][] m, int cell, int left, int top) {
        int k = m.length;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(13, cell / 3)));
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t < k; t++) {
            long rowSum = 0;
            for (int c : m[t]) {
                rowSum += c;
            }
            for (int p = 0; p < k; p++) {
                double share = rowSum == 0 ? 0 : (double) m[t][p] / rowSum;
                int x = left + p * cell;
                int y = top + t * cell;
                g.setColor(shade(share));
                g.fillRect(x, y, cell, cell);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, cell, cell);
                String s = String.format(Locale.ROOT, "%d", m[t][p]);
                if (fm.stringWidth(s) <= cell - 2) {
                    g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(s, x + (cell - fm.stringWidth(s)) / 2, y + (cell + fm.getAscent()) / 2 - 1);
                }
            }
        }
    }

    private static Color shade(double share) {
        return new Color(Style.mix(255, FULL.getRed(), share), Style.mix(255, FULL.getGreen(), share),
                Style.mix(255, FULL.getBlue(), share));
    }

    private static String label(int i, List<String> names) {
        return names != null && i < names.size() ? names.get(i) : String.valueOf(i);
    }
}
