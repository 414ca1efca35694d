package cnnkit.check;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Checks for notebook cells. Each one prints a short "ok" line when the claim holds and throws
 * an {@link AssertionError} with expected and actual values when it does not, so a wrong number
 * stops the notebook. (Java's {@code assert} is off unless the JVM runs with -ea, so notebooks
 * use these instead.)
 */
public final class Expect {
    private Expect() {
    }

    /** Every element of {@code actual} within {@code tol} of {@code expected}, same shape. */
    public static void close(String what, Tensor actual, Tensor expected, double tol) {
        if (!actual.sameShape(expected)) {
            throw new AssertionError(what + ": expected shape " + Shape.str(expected.shape()) + ", got "
                    + Shape.str(actual.shape()));
        }
        if (!actual.allClose(expected, tol)) {
            throw new AssertionError(what + ": values differ by more than " + tol + "\nexpected:\n" + expected
                    + "\nactual:\n" + actual);
        }
        pass(what);
    }

    /** Exact comparison with values written out by hand; the shape comes from {@code actual}. */
    public static void values(String what, Tensor actual, double... expected) {
        if (expected.length != actual.size()) {
            throw new AssertionError(what + ": expected " + expected.length + " values, tensor "
                    + Shape.str(actual.shape()) + " has " + actual.size());
        }
        close(what, actual, Tensor.of(expected, actual.shape()), 1e-9);
    }

    public static void close(String what, double actual, double expected, double tol) {
        if (!(Math.abs(actual - expected) <= tol)) {
            throw new AssertionError(what + ": expected " + expected + " +/- " + tol + ", got " + actual);
        }
        pass(what);
    }

    public static void atLeast(String what, double actual, double threshold) {
        if (!(actual >= threshold)) {
            throw new AssertionError(what + ": expected at least " + threshold + ", got " + actual);
        }
        pass(what + " (" + fmt(actual) + " >= " + fmt(threshold) + ")");
    }

    public static void below(String what, double actual, double threshold) {
        if (!(actual < threshold)) {
            throw new AssertionError(what + ": expected below " + threshold + ", got " + actual);
        }
        pass(what + " (" + fmt(actual) + " < " + fmt(threshold) + ")");
    }

    public static void isTrue(String what, boolean condition) {
        if (!condition) {
            throw new AssertionError(what + ": does not hold");
        }
        pass(what);
    }

    private static void pass(String what) {
        System.out.println("ok  " + what);
    }

    private static String fmt(double v) {
        return Math.abs(v) < 1e-3 && v != 0 ? String.format("%.2e", v) : String.format("%.4f", v);
    }
}
