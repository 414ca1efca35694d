package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernel gives the same bits as the plain kernel (same summation order) at shapes
 * that cut tiles, K blocks and column blocks anywhere; {@link MatMulFastTest} holds both to the
 * textbook triple loop. Runs when the JVM has {@code --add-modules jdk.incubator.vector} (the
 * build's surefire setting); the self-check's rule is tested either way.
 */
class VectorMatMulTest {
    /** (M, K, N): tails of 1-7 rows after 8-row tiles, K across the 64- and 128-blocks, N across vectors and the 512 block. */
    private static final int[][] SHAPES = {
        {4, 1, 16}, {4, 2, 16}, {4, 3, 16}, {5, 5, 17}, {7, 16, 31}, {8, 17, 32}, {9, 33, 47}, {6, 25, 784},
        {16, 150, 100}, {16, 144, 1024}, {64, 576, 64}, {12, 127, 48}, {12, 128, 48}, {12, 129, 48},
        {4, 300, 530}, {11, 7, 1030}, {3, 40, 64}, {4, 40, 7}, {17, 130, 40}, {24, 64, 16}, {15, 129, 33},
    };

    private static double[] random(Random rng, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            // Some exact zeros and negative zeros, whose signs the summation order decides.
            int kind = rng.nextInt(8);
            v[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : rng.nextGaussian();
        }
        return v;
    }

    private static double[][] rows(Random rng, int count, int length) {
        double[][] r = new double[count][];
        for (int i = 0; i < count; i++) {
            r[i] = random(rng, length);
        }
        return r;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static void assertSameBits(double[][] expected, double[][] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(Double.doubleToRawLongBits(expected[i][j]), Double.doubleToRawLongBits(actual[i][j]),
                        what + ": c[" + i + "][" + j + "] expected " + expected[i][j] + " got " + actual[i][j]);
            }
        }
    }

    private static VectorKernel.Tiles kernel() {
        VectorKernel.Tiles kernel = VectorKernel.active();
        assumeTrue(kernel != null, "the Vector API kernel is not in use: " + MatMul.kernel());
        return kernel;
    }

    @Test
    void tilesGiveTheSameBitsAsThePlainKernel() {
        VectorKernel.Tiles kernel = kernel();
        Random rng = new Random(1);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            int jEnd = n / kernel.columnsPerTile() * kernel.columnsPerTile();
            double[][] b = rows(rng, k, n);
            double[] a = random(rng, m * k);
            for (boolean overwrite : new boolean[] {false, true}) {
                double[][] start = rows(rng, m, n);
                double[][] expected = copy(start);
                MatMul.plainRows(expected, 0, m, a, 0, k, 1, null, b, k, 0, jEnd, overwrite);
                double[][] actual = copy(start);
                kernel.tiles(actual, 0, m, a, 0, k, 1, null, b, k, jEnd, overwrite); // the last tile may be part-filled
                assertSameBits(expected, actual, m + "x" + k + "x" + n + (overwrite ? " set" : " add"));
            }
        }
    }

    @Test
    void everyWayOfReadingAGivesTheSameBitsAsThePlainKernel() {
        kernel();
        Random rng = new Random(2);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[][] b = rows(rng, k, n);
            double[] a = random(rng, m * k); // A (M, K), read as stored
            double[] at = random(rng, k * m); // A^T stored (K, M), read with strides 1 and M
            double[][] aRows = rows(rng, m, k);
            double[][] start = rows(rng, m, n);
            String shape = m + "x" + k + "x" + n;

            double[][] expected = copy(start);
            MatMul.plainRows(expected, 0, m, a, 0, k, 1, null, b, k, 0, n, false);
            double[][] actual = copy(start);
            MatMul.rowsAdd(actual, 0, m, a, 0, k, 1, b, k, n);
            assertSameBits(expected, actual, "rowsAdd " + shape);

            expected = copy(start);
            MatMul.plainRows(expected, 0, m, at, 0, 1, m, null, b, k, 0, n, true);
            actual = copy(start);
            MatMul.rowsSet(actual, 0, m, at, 0, 1, m, b, k, n);
            assertSameBits(expected, actual, "rowsSet, A transposed " + shape);

            expected = copy(start);
            MatMul.plainRows(expected, 0, m, null, 0, 0, 0, aRows, b, k, 0, n, false);
            actual = copy(start);
            MatMul.rowsAdd(actual, 0, m, aRows, b, k, n);
            assertSameBits(expected, actual, "rowsAdd, A as rows " + shape);

            // A split of the rows (as Parallel hands them out) changes nothing either.
            actual = copy(start);
            for (int i0 = 0; i0 < m; i0 += 3) {
                MatMul.rowsAdd(actual, i0, Math.min(m, i0 + 3), aRows, b, k, n);
            }
            assertSameBits(expected, actual, "rowsAdd in row ranges of 3 " + shape);
        }
    }

    /** The order both kernels promise: c = fma(A(i, p), B(p, j), c) for p = 0 .. K - 1, from -0.0 when overwriting. */
    private static double[][] fmaChain(double[][] start, double[] a, double[][] b, int m, int k, int n, boolean overwrite) {
        double[][] c = copy(start);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = overwrite ? -0.0 : c[i][j];
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[i * k + p], b[p][j], s);
                }
                c[i][j] = k == 0 && overwrite ? 0.0 : s;
            }
        }
        return c;
    }

    @Test
    void everyElementIsOneChainOfFusedMultiplyAddsInOrder() {
        Random rng = new Random(3);
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            double[][] b = rows(rng, k, n);
            double[] a = random(rng, m * k);
            for (boolean overwrite : new boolean[] {false, true}) {
                double[][] start = rows(rng, m, n);
                double[][] expected = fmaChain(start, a, b, m, k, n, overwrite);
                String shape = m + "x" + k + "x" + n + (overwrite ? " set" : " add");
                double[][] plain = copy(start);
                MatMul.plainRows(plain, 0, m, a, 0, k, 1, null, b, k, 0, n, overwrite);
                assertSameBits(expected, plain, "plain kernel " + shape);
                double[][] actual = copy(start);
                if (overwrite) {
                    MatMul.rowsSet(actual, 0, m, a, 0, k, 1, b, k, n);
                } else {
                    MatMul.rowsAdd(actual, 0, m, a, 0, k, 1, b, k, n);
                }
                assertSameBits(expected, actual, MatMul.kernel() + " " + shape);
            }
        }
    }

    @Test
    void kernelSaysWhichOneRuns() {
        String kernel = MatMul.kernel();
        assertNotNull(kernel);
        if (VectorKernel.loaded() == null) {
            assertTrue(kernel.startsWith("plain"), kernel);
        } else {
            assertTrue(kernel.startsWith("Vector API") || kernel.contains("switched to the plain kernel"), kernel);
        }
    }

    // ---- the self-check's rule, with made-up timings ----

    /** Feeds {@code windows} windows of samples at {@code gflops} (the multiply-adds are half the flops). */
    private static void feed(VectorKernel.SelfCheck check, int windows, double gflops) {
        long work = 1L << 20;
        long nanos = Math.round(2.0 * work / gflops);
        for (int i = 0; i < windows * VectorKernel.SelfCheck.WINDOW; i++) {
            check.record(work, nanos);
        }
    }

    @Test
    void aKernelThatStaysFastIsKept() {
        VectorKernel.SelfCheck check = new VectorKernel.SelfCheck();
        feed(check, 20, 20.0);
        assertTrue(check.healthy());
        assertNull(check.reason());
        assertEquals(20.0, check.best(), 1e-3);
    }

    @Test
    void aSlowWarmUpIsForgiven() {
        VectorKernel.SelfCheck check = new VectorKernel.SelfCheck();
        feed(check, VectorKernel.SelfCheck.WARMUP_WINDOWS, 0.05); // interpreted code before the JIT compiles it
        feed(check, 10, 15.0);
        assertTrue(check.healthy(), check.reason());
    }

    @Test
    void aCollapseSwitchesToThePlainKernel() {
        VectorKernel.SelfCheck check = new VectorKernel.SelfCheck();
        feed(check, VectorKernel.SelfCheck.WARMUP_WINDOWS + 5, 25.0);
        feed(check, VectorKernel.SelfCheck.SLOW_WINDOWS - 1, 1.0);
        assertTrue(check.healthy(), "one window short of the limit");
        feed(check, 1, 1.0);
        assertFalse(check.healthy());
        assertTrue(check.reason().contains("1.0 GFLOP/s"), check.reason());
    }

    @Test
    void aDropToAQuarterOfTheBestCountsAsSlowAndARecoveryResetsTheCount() {
        VectorKernel.SelfCheck check = new VectorKernel.SelfCheck();
        feed(check, VectorKernel.SelfCheck.WARMUP_WINDOWS + 1, 40.0);
        feed(check, VectorKernel.SelfCheck.SLOW_WINDOWS - 1, 9.0); // above the floor, below 40 / 4
        feed(check, 1, 30.0);
        feed(check, VectorKernel.SelfCheck.SLOW_WINDOWS - 1, 9.0);
        assertTrue(check.healthy(), "the slow windows were not in a row");
        feed(check, 1, 9.0);
        assertFalse(check.healthy());
    }
}
