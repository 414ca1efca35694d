package cnnkit.tensor;

/**
 * Prints tensors the way numpy does, e.g. {@code [[ -7.  -4.   7.]]}, so notebook output can be
 * compared with the seeds by eye. Whole numbers print with a trailing dot; others with up to
 * four decimals. Tensors over {@link #MAX_ELEMENTS} print a one-line summary instead.
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
        int width = 0;
        for (int i = 0; i < cells.length; i++) {
            cells[i] = whole ? String.format("%.0f.", t.data()[i]) : fmt(t.data()[i]);
            width = Math.max(width, cells[i].length());
        }
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

    private static String fmt(double v) {
        String s = String.format("%.4f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
        }
        return s;
    }
}
