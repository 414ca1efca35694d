package cnnkit.engine;

import java.util.Arrays;

/**
 * Matrix multiply kernels on row-major arrays: C (M, N) = A (M, K) x B (K, N).
 *
 * <p>{@link #naive} is the textbook triple loop, kept as the reference every fast kernel is
 * tested against. The others ({@link #multiply}, {@link #multiplyAdd}, {@link #multiplyTransAAdd},
 * {@link #multiplyTransBAdd}) all end in one kernel, {@link #rowsAdd}, which works on matrices
 * stored as separate row arrays.
 *
 * <h2>One summation order</h2>
 * Every element of C is computed as the same chain of fused multiply-adds,
 * {@code c = fma(A(i, p), B(p, j), c)} for p = 0, 1, ..., K - 1 in turn, starting from C's old
 * value (or from -0.0 when C is overwritten, which gives the bits of the plain product for the
 * first term). A fused multiply-add rounds once instead of twice, and every x86-64 and ARM64
 * processor of the last decade does one in a single instruction ({@link Math#fma}). Because the
 * order is fixed element by element, it does not matter how the loops are blocked, how the rows
 * are split across cores, or which kernel computes a tile: results are the same to the last bit.
 *
 * <h2>Why row arrays, and why four rows of B at a time</h2>
 * The HotSpot JIT turns a simple loop such as {@code c[j] = fma(a1, b1[j], fma(a0, b0[j], c[j]))}
 * into SIMD code, but only when every array in the loop is indexed by the same {@code j}: with
 * {@code c[cOff + j]} and {@code b[bOff + j]} in one flat array it cannot rule out that the two
 * ranges overlap and keeps the loop scalar. So B and C are handed over as arrays of rows.
 * Folding four rows of B into one pass over a row of C reads and writes C a quarter as often as
 * the plain i-k-j loop. The loops are blocked so that the slice of B being streamed stays in the
 * cache, and large products are split across cores by rows of C ({@link Parallel}).
 *
 * <h2>The Vector API kernel</h2>
 * When the JVM is started with {@code --add-modules jdk.incubator.vector}, whole tiles of C (8
 * rows x 2 vectors) are computed by {@link VectorMatMul} instead, held in registers while the
 * chain runs down K, in exactly the same order, so the bits are the same either way;
 * {@link #kernel()} says which one runs. Without the flag nothing changes but the speed.
 */
public final class MatMul {
    /** Rows of B per block: the block of B streamed over a row of C stays in the cache. */
    private static final int BLOCK_K = 64;
    /** Rows of C in a tile of the vector kernel; parallel tasks get whole tiles. */
    static final int TILE_ROWS = 8;
    /** Columns of B and C per block. */
    private static final int BLOCK_N = 512;
    /** Below this many multiply-adds a product runs on one thread: handing out tasks costs more. */
    private static final long PARALLEL_MIN = 1L << 17;
    /** Narrower than this, vector loops do not pay off and the plain loops are used. */
    private static final int MIN_VECTOR_N = 8;

    private static final ThreadLocal<RowBuffer> PACKED_B = ThreadLocal.withInitial(RowBuffer::new);
    private static final ThreadLocal<RowBuffer> PACKED_C = ThreadLocal.withInitial(RowBuffer::new);

    private MatMul() {
    }

    /**
     * Which kernel runs the products: the Vector API one ({@link VectorKernel}) when the JVM has
     * {@code --add-modules jdk.incubator.vector}, else (or after it was found running slow) the
     * plain loops; with the reason. Both give the same bits.
     */
    public static String kernel() {
        return VectorKernel.status();
    }

    /** C = A x B, overwriting C. */
    public static void multiply(double[] a, double[] b, double[] c, int m, int k, int n) {
        Arrays.fill(c, 0, m * n, 0.0);
        multiplyAdd(a, b, c, m, k, n);
    }

    /** C += A x B. */
    public static void multiplyAdd(double[] a, double[] b, double[] c, int m, int k, int n) {
        checkSizes(a, (long) m * k, b, (long) k * n, c, (long) m * n);
        if (n < MIN_VECTOR_N) {
            plainAdd(a, k, 1, b, n, 1, c, m, k, n);
            return;
        }
        double[][] bRows = packRows(b, k, n, false);
        flatAdd(a, k, 1, bRows, c, m, k, n);
    }

    /** C += A^T x B, where A is stored (K, M). */
    public static void multiplyTransAAdd(double[] a, double[] b, double[] c, int m, int k, int n) {
        checkSizes(a, (long) k * m, b, (long) k * n, c, (long) m * n);
        if (n < MIN_VECTOR_N) {
            plainAdd(a, 1, m, b, n, 1, c, m, k, n);
            return;
        }
        double[][] bRows = packRows(b, k, n, false);
        flatAdd(a, 1, m, bRows, c, m, k, n);
    }

    /** C += A x B^T, where B is stored (N, K). */
    public static void multiplyTransBAdd(double[] a, double[] b, double[] c, int m, int k, int n) {
        checkSizes(a, (long) m * k, b, (long) n * k, c, (long) m * n);
        if (n < MIN_VECTOR_N) {
            plainAdd(a, k, 1, b, 1, k, c, m, k, n);
            return;
        }
        double[][] bRows = packRows(b, k, n, true);
        flatAdd(a, k, 1, bRows, c, m, k, n);
    }

    /** The textbook triple loop, C = A x B; the reference the fast kernels are tested against. */
    public static void naive(double[] a, double[] b, double[] c, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
    }

    /**
     * The kernel: {@code c[i][j] += sum over p < k of A(i, p) * b[p][j]} for rows {@code i0 <= i < i1}
     * and columns {@code j < n}, where {@code A(i, p) = a[aOff + i * aRow + p * aCol]}.
     *
     * <p>The strides let A be read in place whether it is stored as A (aRow = K, aCol = 1) or
     * as its transpose (aRow = 1, aCol = M). B and C are row arrays (at least k and i1 rows,
     * each at least n long). One thread; callers split rows of C across threads.
     */
    public static void rowsAdd(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol,
            double[][] b, int k, int n) {
        rows(c, i0, i1, a, aOff, aRow, aCol, null, b, k, n, false);
    }

    /**
     * Like {@link #rowsAdd(double[][], int, int, double[], int, int, int, double[][], int, int)}, but
     * overwrites: {@code c[i][j] = sum over p < k of A(i, p) * b[p][j]}. Saves clearing C first.
     */
    public static void rowsSet(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol,
            double[][] b, int k, int n) {
        rows(c, i0, i1, a, aOff, aRow, aCol, null, b, k, n, true);
    }

    /**
     * Rows {@code i0 .. i1} of C, A read from {@code aRows} if given, else through the strides:
     * the tiles on the Vector API kernel when it is in use ({@link VectorKernel}), everything
     * else (or all of it) on the plain loops. Both give the same bits.
     */
    private static void rows(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol, double[][] aRows,
            double[][] b, int k, int n, boolean overwrite) {
        if (overwrite && k == 0) {
            for (int i = i0; i < i1; i++) {
                Arrays.fill(c[i], 0, n, 0.0); // the empty sum
            }
            return;
        }
        VectorKernel.Tiles vector = VectorKernel.active();
        int iEnd = i0;
        int jEnd = 0;
        if (vector != null) {
            // Whole tiles, and a last part-filled one if it is at least half full: computing a
            // few rows for nothing in registers beats the plain loops on the rows left over.
            int tile = vector.rowsPerTile();
            int whole = (i1 - i0) / tile * tile;
            iEnd = i0 + (2 * (i1 - i0 - whole) >= tile ? i1 - i0 : whole);
            jEnd = n / vector.columnsPerTile() * vector.columnsPerTile();
            if (iEnd > i0 && jEnd > 0) {
                VectorKernel.run(vector, c, i0, iEnd, a, aOff, aRow, aCol, aRows, b, k, jEnd, overwrite);
            } else {
                iEnd = i0;
                jEnd = 0;
            }
        }
        // The right-hand columns of the tiled rows, then the rows below them (all of C without the vector kernel).
        plainRows(c, i0, iEnd, a, aOff, aRow, aCol, aRows, b, k, jEnd, n, overwrite);
        plainRows(c, iEnd, i1, a, aOff, aRow, aCol, aRows, b, k, 0, n, overwrite);
    }

    /** The plain kernel on rows {@code i0 .. i1} and columns {@code jFrom .. jTo} of C. */
    static void plainRows(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol,
            double[][] aRows, double[][] b, int k, int jFrom, int jTo, boolean overwrite) {
        for (int j0 = jFrom; j0 < jTo; j0 += BLOCK_N) {
            int j1 = Math.min(jTo, j0 + BLOCK_N);
            for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
                int p1 = Math.min(k, p0 + BLOCK_K);
                for (int i = i0; i < i1; i++) {
                    if (aRows != null) {
                        rowBlock(c[i], aRows[i], 0, 1, b, p0, p1, j0, j1, overwrite && p0 == 0);
                    } else {
                        rowBlock(c[i], a, aOff + i * aRow, aCol, b, p0, p1, j0, j1, overwrite && p0 == 0);
                    }
                }
            }
        }
    }

    /**
     * Like {@link #rowsAdd} with A given as row arrays: {@code c[i][j] += sum over p < k of a[i][p] * b[p][j]}
     * for rows {@code i0 <= i < i1} and columns {@code j < n}.
     */
    public static void rowsAdd(double[][] c, int i0, int i1, double[][] a, double[][] b, int k, int n) {
        rows(c, i0, i1, null, 0, 0, 0, a, b, k, n, false);
    }

    /** Like {@link #rowsAdd(double[][], int, int, double[][], double[][], int, int)}, but overwrites C. */
    public static void rowsSet(double[][] c, int i0, int i1, double[][] a, double[][] b, int k, int n) {
        rows(c, i0, i1, null, 0, 0, 0, a, b, k, n, true);
    }

    /**
     * C += A x B^T with both operands as row arrays that run along the summed dimension:
     * {@code c[i][j] += sum over p < k of a[i][p] * b[j][p]} for {@code i < m, j < n}.
     *
     * <p>Each element is a dot product, which the JIT does not vectorise; instead a 2 x 4 block
     * of C is kept in eight registers, so every value loaded from A or B is used two or four times.
     * This is the faster choice when C is too narrow for vector loops (a convolution's weight
     * gradient with few filters), and it needs no transposed copy of either operand.
     */
    public static void dotRowsAdd(double[][] c, double[][] a, int m, double[][] b, int n, int k) {
        int i = 0;
        for (; i + 1 < m; i += 2) {
            double[] a0 = a[i];
            double[] a1 = a[i + 1];
            int j = 0;
            for (; j + 3 < n; j += 4) {
                dot2x4(c, i, j, a0, a1, b[j], b[j + 1], b[j + 2], b[j + 3], k);
            }
            for (; j < n; j++) {
                double[] b0 = b[j];
                double s0 = 0;
                double s1 = 0;
                for (int p = 0; p < k; p++) {
                    s0 = Math.fma(a0[p], b0[p], s0);
                    s1 = Math.fma(a1[p], b0[p], s1);
                }
                c[i][j] += s0;
                c[i + 1][j] += s1;
            }
        }
        if (i < m) {
            double[] a0 = a[i];
            for (int j = 0; j < n; j++) {
                double[] b0 = b[j];
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a0[p], b0[p], s);
                }
                c[i][j] += s;
            }
        }
    }

    private static void dot2x4(double[][] c, int i, int j, double[] a0, double[] a1,
            double[] b0, double[] b1, double[] b2, double[] b3, int k) {
        double s00 = 0;
        double s01 = 0;
        double s02 = 0;
        double s03 = 0;
        double s10 = 0;
        double s11 = 0;
        double s12 = 0;
        double s13 = 0;
        for (int p = 0; p < k; p++) {
            double x0 = a0[p];
            double x1 = a1[p];
            double y0 = b0[p];
            double y1 = b1[p];
            double y2 = b2[p];
            double y3 = b3[p];
            s00 = Math.fma(x0, y0, s00);
            s01 = Math.fma(x0, y1, s01);
            s02 = Math.fma(x0, y2, s02);
            s03 = Math.fma(x0, y3, s03);
            s10 = Math.fma(x1, y0, s10);
            s11 = Math.fma(x1, y1, s11);
            s12 = Math.fma(x1, y2, s12);
            s13 = Math.fma(x1, y3, s13);
        }
        double[] c0 = c[i];
        double[] c1 = c[i + 1];
        c0[j] += s00;
        c0[j + 1] += s01;
        c0[j + 2] += s02;
        c0[j + 3] += s03;
        c1[j] += s10;
        c1[j + 1] += s11;
        c1[j + 2] += s12;
        c1[j + 3] += s13;
    }

    /**
     * {@code dst[j][i] = src[i][j]} for {@code i < rows, j < cols}: the transpose of a row-array
     * matrix, in small square tiles so that both sides stay in the L1 cache while a tile is copied.
     */
    public static void transposeRows(double[][] src, int rows, int cols, double[][] dst) {
        final int tile = 8;
        for (int i0 = 0; i0 < rows; i0 += tile) {
            int i1 = Math.min(rows, i0 + tile);
            for (int j0 = 0; j0 < cols; j0 += tile) {
                int j1 = Math.min(cols, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    double[] from = src[i];
                    for (int j = j0; j < j1; j++) {
                        dst[j][i] = from[j];
                    }
                }
            }
        }
    }

    /**
     * One row of C, one block of B: {@code cRow[j] = fma(A(i, p), b[p][j], cRow[j])} for p from
     * p0 to p1 - 1 in turn and {@code j0 <= j < j1}, where {@code A(i, p) = a[aStart + p * aCol]};
     * with {@code overwrite}, the chain starts from -0.0 instead of C's old value.
     */
    static void rowBlock(double[] cRow, double[] a, int aStart, int aCol, double[][] b,
            int p0, int p1, int j0, int j1, boolean overwrite) {
        if (overwrite) {
            Arrays.fill(cRow, j0, j1, -0.0);
        }
        int p = p0;
        for (; p + 3 < p1; p += 4) {
            int q = aStart + p * aCol;
            add4(cRow, b[p], b[p + 1], b[p + 2], b[p + 3], a[q], a[q + aCol], a[q + 2 * aCol], a[q + 3 * aCol], j0, j1);
        }
        for (; p < p1; p++) {
            add1(cRow, b[p], a[aStart + p * aCol], j0, j1);
        }
    }

    // The loops below are the ones the JIT vectorises: every array is indexed by plain j.

    /** Four steps of the chain: the innermost fma is step p, the outermost step p + 3. */
    private static void add4(double[] c, double[] b0, double[] b1, double[] b2, double[] b3,
            double a0, double a1, double a2, double a3, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            c[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c[j]))));
        }
    }

    private static void add1(double[] c, double[] b0, double a0, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            c[j] = Math.fma(a0, b0[j], c[j]);
        }
    }

    /** Flat C += A' x B for packed B: copies C into row arrays, runs the kernel (in parallel if big), copies back. */
    private static void flatAdd(double[] a, int aRow, int aCol, double[][] bRows, double[] c, int m, int k, int n) {
        double[][] cRows = PACKED_C.get().rows(m, n);
        for (int i = 0; i < m; i++) {
            System.arraycopy(c, i * n, cRows[i], 0, n);
        }
        long work = (long) m * k * n;
        // Tasks get whole tiles of rows, so that the vector kernel sees whole tiles.
        int tiles = (m + TILE_ROWS - 1) / TILE_ROWS;
        int tasks = work < PARALLEL_MIN ? 1 : Math.min(tiles, 4 * Parallel.threads());
        if (tasks == 1) {
            rowsAdd(cRows, 0, m, a, 0, aRow, aCol, bRows, k, n);
        } else {
            Parallel.forEach(tasks, t -> rowsAdd(cRows, Math.min(m, TILE_ROWS * (tiles * t / tasks)),
                    Math.min(m, TILE_ROWS * (tiles * (t + 1) / tasks)), a, 0, aRow, aCol, bRows, k, n));
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(cRows[i], 0, c, i * n, n);
        }
    }

    /** B (K, N) as K row arrays; with {@code transposed}, B is stored (N, K) and is transposed while packing. */
    private static double[][] packRows(double[] b, int k, int n, boolean transposed) {
        double[][] rows = PACKED_B.get().rows(k, n);
        if (!transposed) {
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, p * n, rows[p], 0, n);
            }
        } else {
            for (int j = 0; j < n; j++) {
                int src = j * k;
                for (int p = 0; p < k; p++) {
                    rows[p][j] = b[src + p];
                }
            }
        }
        return rows;
    }

    /** C += A' x B' with element strides, for products too narrow to vectorise; i-p-j order. */
    private static void plainAdd(double[] a, int aRow, int aCol, double[] b, int bRow, int bCol,
            double[] c, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int cRow = i * n;
            for (int p = 0; p < k; p++) {
                double aip = a[i * aRow + p * aCol];
                int bStart = p * bRow;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] = Math.fma(aip, b[bStart + j * bCol], c[cRow + j]);
                }
            }
        }
    }

    private static void checkSizes(double[] a, long aNeed, double[] b, long bNeed, double[] c, long cNeed) {
        if (a.length < aNeed || b.length < bNeed || c.length < cNeed) {
            throw new IllegalArgumentException("MatMul: arrays too short for the given sizes: A has " + a.length
                    + " (needs " + aNeed + "), B has " + b.length + " (needs " + bNeed + "), C has " + c.length
                    + " (needs " + cNeed + ")");
        }
    }
}
