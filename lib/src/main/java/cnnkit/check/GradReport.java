package cnnkit.check;

import cnnkit.tensor.Shape;
import java.util.List;

/** The result of a {@link GradCheck}: one row per checked tensor, printable as a table. */
public final class GradReport {
    /**
     * One checked tensor: its name, shape and relative error, measured against the tensor's own
     * scale as {@link GradCheck#relError} defines it.
     */
    public record Entry(String name, int[] shape, double maxRelError) {
    }

    private final String layer;
    private final List<Entry> entries;

    GradReport(String layer, List<Entry> entries) {
        this.layer = layer;
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The largest relative error over all rows (NaN if any row is NaN). */
    public double maxError() {
        double worst = 0;
        for (Entry e : entries) {
            if (Double.isNaN(e.maxRelError())) {
                return Double.NaN;
            }
            worst = Math.max(worst, e.maxRelError());
        }
        return worst;
    }

    /** True when every row's relative error is below {@code tolerance}. */
    public boolean passed(double tolerance) {
        return maxError() < tolerance;
    }

    /** Throws an AssertionError naming the failing tensors unless every row is below tolerance. */
    public GradReport require(double tolerance) {
        if (!passed(tolerance)) {
            throw new AssertionError("gradient check failed for " + layer + " (tolerance " + tolerance + "):\n" + this);
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("gradient check: " + layer + "\n");
        sb.append(String.format("  %-12s %-18s %s%n", "param", "shape", "rel error"));
        for (Entry e : entries) {
            sb.append(String.format("  %-12s %-18s %.2e%n", e.name(), Shape.str(e.shape()), e.maxRelError()));
        }
        return sb.toString();
    }
}
