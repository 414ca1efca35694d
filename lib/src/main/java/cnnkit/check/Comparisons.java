package cnnkit.check;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The comparisons one case of an exercise check makes ({@link Check}), collected into one verdict.
 *
 * <p>Each comparison measures the relative error of GradCheck, {@code |a - e| / max(1e-8, |a| + |e|)},
 * element by element. The verdict keeps the largest error over all comparisons and describes the
 * first comparison that went wrong (which tensor, which element, the two values), since the first
 * failure, usually the small hand-computed example, is the easiest one to debug.
 *
 * <p>A {@code null} result, a wrong shape or a NaN counts as a failure, never as an exception.
 */
public final class Comparisons {
    private final double tolerance;
    private double worst;
    private int count;
    private String firstFailure;

    Comparisons(double tolerance) {
        this.tolerance = tolerance;
    }

    /**
     * Compares {@code actual} (what the student's code returned) with {@code expected}. {@code what}
     * names the value and, in brackets, the case: "dW (batch 2, stride 2)".
     */
    public Comparisons close(String what, Tensor actual, Tensor expected) {
        return compare(what, actual, expected, "");
    }

    /** Compares two numbers, e.g. a loss. */
    public Comparisons close(String what, double actual, double expected) {
        return close(what, Tensor.of(new double[] {actual}, 1), Tensor.of(new double[] {expected}, 1));
    }

    /**
     * Compares a hand-written gradient with the centred-difference gradient of {@code loss} with
     * respect to {@code wrt} (perturbed in place and restored, see {@link GradCheck#numeric}).
     */
    public Comparisons gradient(String what, Tensor analytic, DoubleSupplier loss, Tensor wrt) {
        return compare(what, analytic, GradCheck.numeric(loss, wrt), " from the numerical gradient");
    }

    /** {@code source} says where {@code expected} came from, for the failure message. */
    Comparisons compare(String what, Tensor actual, Tensor expected, String source) {
        count++;
        if (actual == null) {
            return fail(Double.POSITIVE_INFINITY, what + ": got null, expected a tensor of shape "
                    + Shape.str(expected.shape()));
        }
        if (!actual.sameShape(expected)) {
            return fail(Double.POSITIVE_INFINITY, what + ": expected shape " + Shape.str(expected.shape())
                    + ", got " + Shape.str(actual.shape()));
        }
        double[] a = actual.data();
        double[] e = expected.data();
        int worstAt = -1;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - e[i]) / Math.max(1e-8, Math.abs(a[i]) + Math.abs(e[i]));
            if (Double.isNaN(d)) {
                d = Double.POSITIVE_INFINITY; // a NaN is as wrong as it gets
            }
            if (d > err) {
                err = d;
                worstAt = i;
            }
        }
        if (err > tolerance) {
            int bracket = what.indexOf(" (");
            String name = bracket < 0 ? what : what.substring(0, bracket);
            String context = bracket < 0 ? "" : what.substring(bracket);
            return fail(err, String.format(Locale.ROOT, "%s%s = %.6g, expected %.6g%s%s", name,
                    index(expected.shape(), worstAt), a[worstAt], e[worstAt], source, context));
        }
        worst = Math.max(worst, err);
        return this;
    }

    private Comparisons fail(double err, String why) {
        worst = Math.max(worst, err);
        if (firstFailure == null) {
            firstFailure = why;
        }
        return this;
    }

    /** Whether every comparison so far is within tolerance. */
    public boolean ok() {
        return firstFailure == null;
    }

    /** Checks a claim that is not a tensor: a loss that went down, an accuracy reached. */
    public Comparisons isTrue(String what, boolean condition) {
        count++;
        return condition ? this : fail(Double.POSITIVE_INFINITY, what + ": does not hold");
    }

    int count() {
        return count;
    }

    double worst() {
        return worst;
    }

    String firstFailure() {
        return firstFailure;
    }

    /** "[0, 1, 2, 2]" for a flat index into {@code shape}; empty for a single value. */
    private static String index(int[] shape, int flat) {
        if (Shape.size(shape) == 1) {
            return "";
        }
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return java.util.Arrays.toString(idx);
    }
}
