package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast kernels against {@link MatMul#naive}, on shapes that include vectors and odd sizes. */
class MatMulTest {
    private static final double TOL = 1e-12;

    private static double[] random(Random rng, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            // Some exact zeros, since the kernels may skip them.
            d[i] = rng.nextInt(5) == 0 ? 0.0 : rng.nextGaussian();
        }
        return d;
    }

    /** Row-major transpose of an (rows, cols) array (MatMulFastTest uses it too). */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static double[] naive(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        MatMul.naive(a, b, c, m, k, n);
        return c;
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    @ParameterizedTest(name = "({0} x {1}) x ({1} x {2})")
    @CsvSource({"1,1,1", "1,7,1", "1,5,4", "6,5,1", "3,1,4", "7,3,5", "2,9,3", "13,11,17", "4,4,4"})
    void naiveMatchesAHandWrittenDotProduct(int m, int k, int n) {
        Random rng = new Random(m * 100 + k * 10 + n);
        double[] a = random(rng, m * k);
        double[] b = random(rng, k * n);
        double[] c = naive(a, b, m, k, n);
        int i = m - 1;
        int j = n - 1;
        double s = 0;
        for (int p = 0; p < k; p++) {
            s += a[i * k + p] * b[p * n + j];
        }
        assertEquals(s, c[i * n + j], 1e-12);
    }

    @ParameterizedTest(name = "({0} x {1}) x ({1} x {2})")
    @CsvSource({"1,1,1", "1,7,1", "1,5,4", "6,5,1", "3,1,4", "7,3,5", "2,9,3", "13,11,17", "4,4,4", "33,19,21"})
    void fastKernelsEqualNaive(int m, int k, int n) {
        Random rng = new Random(31L * m + 7L * k + n);
        double[] a = random(rng, m * k);
        double[] b = random(rng, k * n);
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        double[] expected = naive(a, b, m, k, n);

        double[] c = random(rng, m * n); // garbage that multiply must overwrite
        MatMul.multiply(a, b, c, m, k, n);
        assertClose(expected, c);

        double[] start = random(rng, m * n);
        double[] plusExpected = start.clone();
        for (int i = 0; i < plusExpected.length; i++) {
            plusExpected[i] += expected[i];
        }

        double[] acc = start.clone();
        MatMul.multiplyAdd(a, b, acc, m, k, n);
        assertClose(plusExpected, acc);

        acc = start.clone();
        MatMul.multiplyTransAAdd(transpose(a, m, k), b, acc, m, k, n);
        assertClose(plusExpected, acc);

        acc = start.clone();
        MatMul.multiplyTransBAdd(a, transpose(b, k, n), acc, m, k, n);
        assertClose(plusExpected, acc);

        assertArrayEquals(a0, a, "inputs are read only");
        assertArrayEquals(b0, b, "inputs are read only");
    }
}
