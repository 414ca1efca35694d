package cnnkit.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatMul}'s kernel written with the Vector API ({@code jdk.incubator.vector}): C gets the
 * same values as from the plain kernel, computed a tile of 8 rows x 2 vectors at a time (8 x 16
 * values with 8 doubles a vector), the tile held in sixteen registers while it runs down K.
 *
 * <p>This class names the incubator module, so it is loaded only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}; {@link VectorKernel} does that check and
 * instantiates it by name. Nothing else refers to it.
 *
 * <h2>The same bits as the plain kernel</h2>
 * Every element of C is the chain {@code c = fma(A(i, p), B(p, j), c)} for p = 0 .. K - 1 in
 * turn, as in {@link MatMul}'s plain loops; with {@code overwrite} the chain starts from -0.0.
 * Each vector lane does exactly the scalar fused multiply-add, so each element rounds exactly as
 * it does there. That is what lets {@link VectorKernel} switch back to the plain kernel at any
 * moment without changing a single result, and keeps results the same with or without the module.
 *
 * <h2>Layout</h2>
 * A tile's eight rows of A are copied for a block of {@link #KC} steps of K into a small array
 * ({@code ap[8 p + r]}), so the kernel reads A the same way whether it is stored as A, as its
 * transpose or as row arrays. B is read in place from its row arrays. A last tile with fewer
 * than eight rows of C is computed whole, its missing rows from zeros of A into scratch rows
 * that nobody reads. The columns left over (fewer than two vectors) stay with the plain kernel.
 */
final class VectorMatMul implements VectorKernel.Tiles {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of a tile. */
    static final int ROWS = MatMul.TILE_ROWS;
    /** Steps of K per copied block of A: 8 x 128 doubles stay in the L1 cache. */
    private static final int KC = 128;
    /** Columns per block: B's slice of KC x BLOCK_N stays in the L2 cache. A multiple of 2 L. */
    private static final int BLOCK_N = 512;

    private static final ThreadLocal<double[]> PACKED_A = ThreadLocal.withInitial(() -> new double[ROWS * KC]);
    /** Per thread: scratch rows for the rows a part-filled tile computes for nobody. */
    private static final ThreadLocal<RowBuffer> SCRATCH = ThreadLocal.withInitial(RowBuffer::new);
    /** Per thread: the eight rows of C a part-filled tile writes, real ones first, then scratch. */
    private static final ThreadLocal<double[][]> PART_TILE = ThreadLocal.withInitial(() -> new double[ROWS][]);

    @Override
    public int rowsPerTile() {
        return ROWS;
    }

    @Override
    public int columnsPerTile() {
        return 2 * L;
    }

    @Override
    public String describe() {
        return "Vector API, " + ROWS + " x " + (2 * L) + " tiles, " + L + " doubles a vector, fused multiply-add";
    }

    @Override
    public void tiles(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol, double[][] aRows,
            double[][] b, int k, int jEnd, boolean overwrite) {
        double[] ap = PACKED_A.get();
        for (int j0 = 0; j0 < jEnd; j0 += BLOCK_N) {
            int j1 = Math.min(jEnd, j0 + BLOCK_N);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int k1 = Math.min(k, k0 + KC);
                boolean start = overwrite && k0 == 0;
                for (int i = i0; i < i1; i += ROWS) {
                    int rows = Math.min(ROWS, i1 - i);
                    pack(ap, a, aOff, aRow, aCol, aRows, i, rows, k0, k1);
                    double[][] t = rows == ROWS ? c : partRows(c, i, rows, j1);
                    int ti = rows == ROWS ? i : 0;
                    for (int j = j0; j < j1; j += 2 * L) {
                        if (start) {
                            clear(t, ti, j);
                        }
                        tile(ap, b, k0, k1, j, t[ti], t[ti + 1], t[ti + 2], t[ti + 3], t[ti + 4], t[ti + 5], t[ti + 6], t[ti + 7]);
                    }
                }
            }
        }
    }

    /** Sets the tile at rows i.., columns j.. to -0.0, where an overwriting chain starts (-0.0 + t is t for every t). */
    private static void clear(double[][] c, int i, int j) {
        DoubleVector zero = DoubleVector.broadcast(S, -0.0);
        for (int r = i; r < i + ROWS; r++) {
            zero.intoArray(c[r], j);
            zero.intoArray(c[r], j + L);
        }
    }

    /**
     * A part-filled tile's rows: the {@code rows} real rows of C from row i, then scratch rows of
     * this thread's (at least {@code length} long) for the tile to compute into and nobody to read.
     */
    private static double[][] partRows(double[][] c, int i, int rows, int length) {
        double[][] scratch = SCRATCH.get().rows(ROWS, length);
        double[][] t = PART_TILE.get();
        for (int r = 0; r < ROWS; r++) {
            t[r] = r < rows ? c[i + r] : scratch[r];
        }
        return t;
    }

    /**
     * {@code ap[8 (p - k0) + r] = A(i + r, p)}, A read from the row arrays if given, else through
     * the strides; zeros for the rows of a part-filled tile that C does not have.
     */
    private static void pack(double[] ap, double[] a, int aOff, int aRow, int aCol, double[][] aRows,
            int i, int rows, int k0, int k1) {
        for (int r = rows; r < ROWS; r++) {
            for (int p = k0; p < k1; p++) {
                ap[(p - k0) * ROWS + r] = 0.0;
            }
        }
        for (int r = 0; r < rows; r++) {
            if (aRows != null) {
                double[] row = aRows[i + r];
                for (int p = k0; p < k1; p++) {
                    ap[(p - k0) * ROWS + r] = row[p];
                }
            } else {
                int start = aOff + (i + r) * aRow;
                for (int p = k0; p < k1; p++) {
                    ap[(p - k0) * ROWS + r] = a[start + p * aCol];
                }
            }
        }
    }

    /**
     * One tile, rows c0..c7 and columns j .. j + 2L, over K steps k0 .. k1. A loop with nothing
     * but vectors in local variables: then the JIT keeps them in registers (with branches inside
     * the loop, JDK 17 boxes them on the heap).
     */
    private static void tile(double[] ap, double[][] b, int k0, int k1, int j, double[] c0, double[] c1,
            double[] c2, double[] c3, double[] c4, double[] c5, double[] c6, double[] c7) {
        DoubleVector x00 = DoubleVector.fromArray(S, c0, j);
        DoubleVector x01 = DoubleVector.fromArray(S, c0, j + L);
        DoubleVector x10 = DoubleVector.fromArray(S, c1, j);
        DoubleVector x11 = DoubleVector.fromArray(S, c1, j + L);
        DoubleVector x20 = DoubleVector.fromArray(S, c2, j);
        DoubleVector x21 = DoubleVector.fromArray(S, c2, j + L);
        DoubleVector x30 = DoubleVector.fromArray(S, c3, j);
        DoubleVector x31 = DoubleVector.fromArray(S, c3, j + L);
        DoubleVector x40 = DoubleVector.fromArray(S, c4, j);
        DoubleVector x41 = DoubleVector.fromArray(S, c4, j + L);
        DoubleVector x50 = DoubleVector.fromArray(S, c5, j);
        DoubleVector x51 = DoubleVector.fromArray(S, c5, j + L);
        DoubleVector x60 = DoubleVector.fromArray(S, c6, j);
        DoubleVector x61 = DoubleVector.fromArray(S, c6, j + L);
        DoubleVector x70 = DoubleVector.fromArray(S, c7, j);
        DoubleVector x71 = DoubleVector.fromArray(S, c7, j + L);
        for (int p = k0; p < k1; p++) {
            int o = (p - k0) * ROWS;
            DoubleVector b0 = DoubleVector.fromArray(S, b[p], j);
            DoubleVector b1 = DoubleVector.fromArray(S, b[p], j + L);
            DoubleVector a = DoubleVector.broadcast(S, ap[o]);
            x00 = b0.fma(a, x00);
            x01 = b1.fma(a, x01);
            a = DoubleVector.broadcast(S, ap[o + 1]);
            x10 = b0.fma(a, x10);
            x11 = b1.fma(a, x11);
            a = DoubleVector.broadcast(S, ap[o + 2]);
            x20 = b0.fma(a, x20);
            x21 = b1.fma(a, x21);
            a = DoubleVector.broadcast(S, ap[o + 3]);
            x30 = b0.fma(a, x30);
            x31 = b1.fma(a, x31);
            a = DoubleVector.broadcast(S, ap[o + 4]);
            x40 = b0.fma(a, x40);
            x41 = b1.fma(a, x41);
            a = DoubleVector.broadcast(S, ap[o + 5]);
            x50 = b0.fma(a, x50);
            x51 = b1.fma(a, x51);
            a = DoubleVector.broadcast(S, ap[o + 6]);
            x60 = b0.fma(a, x60);
            x61 = b1.fma(a, x61);
            a = DoubleVector.broadcast(S, ap[o + 7]);
            x70 = b0.fma(a, x70);
            x71 = b1.fma(a, x71);
        }
        x00.intoArray(c0, j);
        x01.intoArray(c0, j + L);
        x10.intoArray(c1, j);
        x11.intoArray(c1, j + L);
        x20.intoArray(c2, j);
        x21.intoArray(c2, j + L);
        x30.intoArray(c3, j);
        x31.intoArray(c3, j + L);
        x40.intoArray(c4, j);
        x41.intoArray(c4, j + L);
        x50.intoArray(c5, j);
        x51.intoArray(c5, j + L);
        x60.intoArray(c6, j);
        x61.intoArray(c6, j + L);
        x70.intoArray(c7, j);
        x71.intoArray(c7, j + L);
    }
}
