package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnkit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The row-array variants of {@link Im2Col} hold exactly what the flat ones hold. */
class Im2ColRowsTest {
    /** {channels, height, width, kernel, stride, padding}. */
    private static final int[][] CASES = {
        {1, 5, 5, 3, 1, 0}, {2, 6, 7, 3, 1, 1}, {3, 8, 8, 3, 2, 1}, {2, 7, 7, 1, 2, 0}, {1, 7, 7, 3, 3, 2},
        {2, 4, 4, 4, 1, 3}, {1, 32, 32, 5, 1, 0},
    };

    @Test
    void rowsMatchFlatLayoutAtAnyOffset() {
        for (int[] c : CASES) {
            Im2Col g = new Im2Col(c[0], c[1], c[2], c[3], c[4], c[5]);
            Tensor x = Tensor.randn(1, 2, c[0], c[1], c[2]);
            int rows = g.rows();
            int positions = g.positions();
            double[] flat = new double[rows * positions];
            double[][] cols = filled(rows, 2 * positions + 3);
            for (int n = 0; n < 2; n++) {
                g.im2col(x.data(), n, flat);
                g.im2colRows(x.data(), n, cols, n * positions + 1); // two images side by side, after one spare column
                for (int r = 0; r < rows; r++) {
                    assertEquals(Double.NaN, cols[r][0], 0.0, "column before the offset must be left alone");
                    for (int p = 0; p < positions; p++) {
                        String at = java.util.Arrays.toString(c) + " image " + n + " (" + r + ", " + p + ")";
                        assertEquals(flat[r * positions + p], cols[r][n * positions + 1 + p], 0.0, at);
                    }
                }
            }
            double[][] atZero = filled(rows, positions);
            g.im2colRows(x.data(), 1, atZero);
            for (int r = 0; r < rows; r++) {
                for (int p = 0; p < positions; p++) {
                    assertEquals(flat[r * positions + p], atZero[r][p], 0.0);
                }
            }
        }
    }

    @Test
    void col2imRowsMatchesFlat() {
        for (int[] c : CASES) {
            Im2Col g = new Im2Col(c[0], c[1], c[2], c[3], c[4], c[5]);
            int rows = g.rows();
            int positions = g.positions();
            Tensor flat = Tensor.randn(3, rows * positions);
            double[][] asRows = new double[rows][positions + 5];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat.data(), r * positions, asRows[r], 5, positions);
            }
            Tensor start = Tensor.randn(4, 2, c[0], c[1], c[2]);
            Tensor expected = start.copy();
            Tensor actual = start.copy();
            g.col2imAdd(flat.data(), 1, expected.data());
            g.col2imAddRows(asRows, 1, actual.data(), 5);
            double[] e = expected.data();
            double[] a = actual.data();
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-12 * Math.max(1, Math.abs(e[i])), java.util.Arrays.toString(c) + " at " + i);
            }
        }
    }

    private static double[][] filled(int count, int length) {
        double[][] r = new double[count][length];
        for (double[] row : r) {
            java.util.Arrays.fill(row, Double.NaN); // stale values must all be overwritten
        }
        return r;
    }
}
