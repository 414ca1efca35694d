package cnnkit.bench;

/** One measured figure, printed as {@code name: value unit}. */
public record Figure(String name, double value, String unit) {
    @Override
    public String toString() {
        return name + ": " + format(value) + " " + unit;
    }

    /** Three significant digits at least, no exponent notation for the sizes a benchmark produces. */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(java.util.Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(java.util.Locale.ROOT, "%.2f", v);
        }
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
