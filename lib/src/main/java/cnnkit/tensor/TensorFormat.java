package cnnkit.tensor;

import java.util.Locale;

/**
 * Prints tensors the way numpy does, e.g. {@code [[ -7.  -4.   7.]]}, so notebook output can be
 * compared with the seeds by eye. Whole numbers print with a trailing dot; others with up to
 * four decimals, decimal points aligned. Tensors over {@link #MAX_ELEMENTS} print a one-line summary instead.
 */
final class TensorFormat {
    static final int MAX_ELEMENTS = 1000;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        int[] shape = t.shape();
        if (t.size() > MAX_ELEMENTS) {
            return "Tensor" + Shape.str(shape) + " min=" + fmt(t.min()) + " max=" + fmt(t.max())
                    + " mean=" + fmt(t.mean());
        }
        if (shape.length == 0) {
            return fmt(t.data()[0]);
        }
        boolean whole = true;
        for (double v : t.data()) {
            whole &= v == Math.rint(v) && Math.abs(v) < 1e15;
        }
        String[] cells = new String[t.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = whole ? String.format(Locale.ROOT, "%.0f.", t.data()[i]) : fmt(t.data()[i]);
        }
        int width = alignDecimalPoints(cells);
        StringBuilder sb = new StringBuilder();
        append(sb, shape, 0, 0, cells, width);
        return sb.toString();
    }

    private static int append(StringBuilder sb, int[] shape, int axis, int pos, String[] cells, int width) {
        sb.append('[');
        int n = shape[axis];
        for (int i = 0; i < n; i++) {
            if (axis == shape.length - 1) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(" ".repeat(width - cells[pos].length())).append(cells[pos]);
                pos++;
            } else {
                if (i > 0) {
                    sb.append("\n".repeat(shape.length - 1 - axis)).append(" ".repeat(axis + 1));
                }
                pos = append(sb, shape, axis + 1, pos, cells, width);
            }
        }
        sb.append(']');
        return pos;
    }

    /**
     * Pads every cell so the decimal points line up, as numpy does ({@code [ 0.5  -1.25  3.  ]}),
     * and returns the common width; cells without a point (nan, inf) are right-aligned later.
     */
    private static int alignDecimalPoints(String[] cells) {
        int intWidth = 0;
        int fracWidth = 0;
        for (String c : cells) {
            int dot = c.indexOf('.');
            if (dot >= 0) {
                intWidth = Math.max(intWidth, dot);
                fracWidth = Math.max(fracWidth, c.length() - dot);
            }
        }
        int width = 0;
        for (int i = 0; i < cells.length; i++) {
            int dot = cells[i].indexOf('.');
            if (dot >= 0) {
                cells[i] = " ".repeat(intWidth - dot) + cells[i] + " ".repeat(fracWidth - (cells[i].length() - dot));
            }
            width = Math.max(width, cells[i].length());
        }
        return width;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        // Locale.ROOT: a German or French default locale would print a decimal comma.
        String s = String.format(Locale.ROOT, "%.4f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
        }
        return s;
    }
}
