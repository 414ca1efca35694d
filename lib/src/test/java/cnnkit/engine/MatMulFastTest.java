package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every fast multiply equals the textbook triple loop {@link MatMul#naive}, on many shapes (on the
 * Vector API kernel when the JVM has the module, as in the build's tests).
 */
class MatMulFastTest {
    /** Odd, edge and blocking-boundary sizes, plus the LeNet-5 and tiny-ResNet shapes. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 1, 9}, {2, 3, 4}, {3, 1, 7}, {1, 5, 8}, {7, 9, 8}, {5, 3, 13}, {4, 17, 33},
        {9, 31, 17}, {2, 16, 512}, {3, 19, 515}, {1, 1030, 10}, {13, 7, 1025}, {6, 25, 784}, {16, 150, 100},
        {64, 400, 120}, {64, 120, 84}, {64, 84, 10}, {16, 27, 1024}, {64, 576, 64}, {0, 3, 9}, {3, 0, 9},
        // Tails of the Vector API kernel's 8 x 16 tiles and of its 128-step blocks of K.
        {12, 129, 48}, {9, 33, 47}, {4, 300, 530}, {11, 7, 1030}, {17, 130, 40}, {23, 64, 31},
    };

    private static double[] random(Random rng, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    /** a·b + c0 by the naive triple loop: what every accumulating variant must produce. */
    private static double[] naivePlus(double[] a, double[] b, double[] c0, int m, int k, int n) {
        double[] expected = new double[m * n];
        MatMul.naive(a, b, expected, m, k, n);
        for (int i = 0; i < expected.length; i++) {
            expected[i] += c0[i];
        }
        return expected;
    }

    /** Relative error scaled by the size of the terms summed, which is what rounding depends on. */
    private static void assertClose(double[] expected, double[] actual, double[] scale, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-12 * Math.max(1.0, scale[i]);
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
        }
    }

    /** Sum of |A| x |B| per element: the size of the largest partial sums. */
    private static double[] magnitudes(double[] a, double[] b, int m, int k, int n) {
        double[] absA = a.clone();
        double[] absB = b.clone();
        for (int i = 0; i < absA.length; i++) {
            absA[i] = Math.abs(absA[i]);
        }
        for (int i = 0; i < absB.length; i++) {
            absB[i] = Math.abs(absB[i]);
        }
        double[] s = new double[m * n];
        MatMul.naive(absA, absB, s, m, k, n);
        return s;
    }

    @Test
    void multiplyEqualsNaive() {
        Random rng = new Random(1);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = random(rng, m * k);
            double[] b = random(rng, k * n);
            double[] expected = new double[m * n];
            MatMul.naive(a, b, expected, m, k, n);
            double[] c = random(rng, m * n); // overwritten
            MatMul.multiply(a, b, c, m, k, n);
            assertClose(expected, c, magnitudes(a, b, m, k, n), "multiply " + m + "x" + k + "x" + n);
        }
    }

    @Test
    void multiplyAddAddsToC() {
        Random rng = new Random(2);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = random(rng, m * k);
            double[] b = random(rng, k * n);
            double[] c0 = random(rng, m * n);
            double[] expected = naivePlus(a, b, c0, m, k, n);
            double[] c = c0.clone();
            MatMul.multiplyAdd(a, b, c, m, k, n);
            assertClose(expected, c, magnitudes(a, b, m, k, n), "multiplyAdd " + m + "x" + k + "x" + n);
        }
    }

    @Test
    void transposedVariantsEqualNaiveOnTransposedCopies() {
        Random rng = new Random(3);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = random(rng, m * k);
            double[] b = random(rng, k * n);
            double[] c0 = random(rng, m * n);
            double[] expected = naivePlus(a, b, c0, m, k, n);
            double[] scale = magnitudes(a, b, m, k, n);

            double[] cA = c0.clone();
            MatMul.multiplyTransAAdd(MatMulTest.transpose(a, m, k), b, cA, m, k, n);
            assertClose(expected, cA, scale, "multiplyTransAAdd " + m + "x" + k + "x" + n);

            double[] cB = c0.clone();
            MatMul.multiplyTransBAdd(a, MatMulTest.transpose(b, k, n), cB, m, k, n);
            assertClose(expected, cB, scale, "multiplyTransBAdd " + m + "x" + k + "x" + n);
        }
    }

    @Test
    void rowsAddReadsStridedAAndIsIndependentOfHowRowsAreSplit() {
        Random rng = new Random(4);
        int m = 11, k = 37, n = 530;
        double[] a = random(rng, 5 + m * k);
        double[][] b = new double[k][];
        double[] bFlat = new double[k * n];
        for (int p = 0; p < k; p++) {
            b[p] = random(rng, n + 3); // rows may be longer than n: the extra values must be ignored
            System.arraycopy(b[p], 0, bFlat, p * n, n);
        }
        double[] aT = MatMulTest.transpose(java.util.Arrays.copyOfRange(a, 5, 5 + m * k), m, k);
        double[][] whole = new double[m][n];
        double[][] split = new double[m][n];
        double[][] viaTranspose = new double[m][n];
        MatMul.rowsAdd(whole, 0, m, a, 5, k, 1, b, k, n);
        MatMul.rowsAdd(split, 0, 4, a, 5, k, 1, b, k, n);
        MatMul.rowsAdd(split, 4, m, a, 5, k, 1, b, k, n);
        MatMul.rowsAdd(viaTranspose, 0, m, aT, 0, 1, m, b, k, n);
        double[] expected = new double[m * n];
        MatMul.naive(java.util.Arrays.copyOfRange(a, 5, 5 + m * k), bFlat, expected, m, k, n);
        for (int i = 0; i < m; i++) {
            // Same arithmetic in the same order: bit for bit equal, not just close.
            assertArrayEquals(whole[i], split[i], 0.0, "row " + i + " split");
            assertArrayEquals(whole[i], viaTranspose[i], 0.0, "row " + i + " strided A");
            for (int j = 0; j < n; j++) {
                assertTrue(Math.abs(expected[i * n + j] - whole[i][j]) <= 1e-12 * k, "element " + i + "," + j);
            }
        }
    }

    @Test
    void rowsSetOverwritesWhateverCHeld() {
        Random rng = new Random(8);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = random(rng, m * k);
            double[] b = random(rng, k * n);
            double[][] bRows = new double[k][];
            for (int p = 0; p < k; p++) {
                bRows[p] = java.util.Arrays.copyOfRange(b, p * n, p * n + n);
            }
            double[][] cRows = new double[m][n];
            for (double[] row : cRows) {
                java.util.Arrays.fill(row, Double.NaN);
            }
            MatMul.rowsSet(cRows, 0, m, a, 0, k, 1, bRows, k, n);
            double[] expected = new double[m * n];
            MatMul.naive(a, b, expected, m, k, n);
            assertClose(expected, flatten(cRows, m, n), magnitudes(a, b, m, k, n), "rowsSet " + m + "x" + k + "x" + n);
        }
    }

    @Test
    void rowsAddWithRowArraysForAEqualsNaive() {
        Random rng = new Random(6);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = random(rng, m * k);
            double[] b = random(rng, k * n);
            double[][] aRows = new double[m][];
            for (int i = 0; i < m; i++) {
                aRows[i] = java.util.Arrays.copyOfRange(a, i * k, i * k + k);
            }
            double[][] bRows = new double[k][];
            for (int p = 0; p < k; p++) {
                bRows[p] = java.util.Arrays.copyOfRange(b, p * n, p * n + n);
            }
            double[][] cRows = new double[m][n];
            MatMul.rowsAdd(cRows, 0, m, aRows, bRows, k, n);
            double[] expected = new double[m * n];
            MatMul.naive(a, b, expected, m, k, n);
            assertClose(expected, flatten(cRows, m, n), magnitudes(a, b, m, k, n), "rowsAdd(rows) " + m + "x" + k + "x" + n);
        }
    }

    @Test
    void dotRowsAddEqualsNaiveOnTransposedB() {
        Random rng = new Random(7);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[] a = random(rng, m * k);
            double[] b = random(rng, k * n);
            double[] bT = MatMulTest.transpose(b, k, n);
            double[][] aRows = new double[m][];
            for (int i = 0; i < m; i++) {
                aRows[i] = java.util.Arrays.copyOfRange(a, i * k, i * k + k);
            }
            double[][] bTRows = new double[n][];
            for (int j = 0; j < n; j++) {
                bTRows[j] = java.util.Arrays.copyOfRange(bT, j * k, j * k + k + 0);
            }
            double[][] cRows = new double[m][n];
            double[] c0 = random(rng, m * n);
            for (int i = 0; i < m; i++) {
                System.arraycopy(c0, i * n, cRows[i], 0, n);
            }
            MatMul.dotRowsAdd(cRows, aRows, m, bTRows, n, k);
            double[] expected = new double[m * n];
            MatMul.naive(a, b, expected, m, k, n);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += c0[i];
            }
            assertClose(expected, flatten(cRows, m, n), magnitudes(a, b, m, k, n), "dotRowsAdd " + m + "x" + k + "x" + n);
        }
    }

    private static double[] flatten(double[][] rows, int m, int n) {
        double[] flat = new double[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(rows[i], 0, flat, i * n, n);
        }
        return flat;
    }

    @Test
    void transposeRowsSwapsIndices() {
        Random rng = new Random(9);
        for (int[] size : new int[][] {{1, 1}, {3, 17}, {8, 8}, {19, 5}, {33, 40}}) {
            int rows = size[0], cols = size[1];
            double[][] src = new double[rows][];
            for (int i = 0; i < rows; i++) {
                src[i] = random(rng, cols + 2);
            }
            double[][] dst = new double[cols][rows + 1];
            MatMul.transposeRows(src, rows, cols, dst);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    org.junit.jupiter.api.Assertions.assertEquals(src[i][j], dst[j][i], 0.0, "(" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void repeatedRunsAreBitIdentical() {
        Random rng = new Random(5);
        int m = 64, k = 400, n = 120; // big enough to run on several threads
        double[] a = random(rng, m * k);
        double[] b = random(rng, k * n);
        double[] first = new double[m * n];
        MatMul.multiply(a, b, first, m, k, n);
        for (int run = 0; run < 5; run++) {
            double[] again = new double[m * n];
            MatMul.multiply(a, b, again, m, k, n);
            assertArrayEquals(first, again, 0.0);
        }
    }

    @Test
    void tooShortArraysAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatMul.multiply(new double[5], new double[6], new double[4], 2, 3, 2));
        assertTrue(e.getMessage().contains("MatMul"), e.getMessage());
    }
}
