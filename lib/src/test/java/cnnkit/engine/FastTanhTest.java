package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link FastTanh} agrees with {@link Math#tanh}. */
class FastTanhTest {
    private static void assertNearTanh(double x, double actual) {
        double expected = Math.tanh(x);
        double tol = 1e-14 * Math.abs(expected);
        assertTrue(Math.abs(actual - expected) <= tol, "tanh(" + x + "): expected " + expected + " got " + actual);
    }

    @Test
    void matchesMathTanhAcrossTheRange() {
        // A dense sweep over [-25, 25], which covers the clamp at +-20, plus small magnitudes.
        double[] xs = new double[100_001];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -25 + 50.0 * i / 100_000;
        }
        double[] ys = new double[xs.length];
        FastTanh.apply(xs, ys);
        for (int i = 0; i < xs.length; i++) {
            assertNearTanh(xs[i], ys[i]);
        }
        for (double x = 1e-300; x < 1; x *= 3.7) {
            assertNearTanh(x, FastTanh.tanh(x));
            assertNearTanh(-x, FastTanh.tanh(-x));
        }
    }

    @Test
    void specialValues() {
        assertEquals(0.0, FastTanh.tanh(0.0), 0.0);
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(FastTanh.tanh(-0.0)), "sign of -0");
        assertEquals(1.0, FastTanh.tanh(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, FastTanh.tanh(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, FastTanh.tanh(1e300), 0.0);
        assertEquals(-1.0, FastTanh.tanh(-700), 0.0);
        assertTrue(Double.isNaN(FastTanh.tanh(Double.NaN)), "NaN must stay NaN");
    }

    @Test
    void applyOnLongArraysEqualsElementByElement() {
        // Longer than one block and one task, with a ragged end, so every split is exercised.
        int n = 3 * 16 * 1024 + 777;
        double[] x = new double[n];
        Random rng = new Random(3);
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian() * 4;
        }
        x[5] = Double.NaN;
        double[] y = new double[n];
        FastTanh.apply(x, y);
        for (int i = 0; i < n; i++) {
            assertEquals(FastTanh.tanh(x[i]), y[i], 0.0, "element " + i);
            if (i != 5) {
                assertNearTanh(x[i], y[i]);
            }
        }
        double[] inPlace = x.clone();
        FastTanh.apply(inPlace, inPlace);
        assertArrayEquals(y, inPlace, 0.0);
    }

    @Test
    void shortOutputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> FastTanh.apply(new double[3], new double[2]));
    }
}
