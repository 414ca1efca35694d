package cnnkit.engine;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatMul}'s kernel written with the Vector API ({@code jdk.incubator.vector}): C gets the
 * same sums as from the plain kernel, computed a tile of 4 rows x 2 vectors at a time (4 x 16
 * values with 8 doubles a vector), the tile held in registers while it runs down K.
 *
 * <p>This class names the incubator module, so it is loaded only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}; {@link VectorKernel} does that check and
 * instantiates it by name. Nothing else refers to it.
 *
 * <h2>The same bits as the plain kernel</h2>
 * Every element of C is summed in exactly the order of {@link MatMul}'s plain loops: K in blocks
 * of 16, each block in groups of four products, {@code c + (((a0 b0 + a1 b1) + a2 b2) + a3 b3)},
 * then a group of two and a single one for what is left of the block; with {@code overwrite} the
 * sum starts from -0.0, which gives the same bits as the plain kernel's setting C with the first
 * group. Multiplies and adds stay separate (no fused multiply-add, which Java never applies on its
 * own either), so each vector lane rounds exactly as the scalar loop does. That is what lets {@link VectorKernel} switch back to the plain kernel
 * at any moment without changing a single result, and keeps results the same with or without the
 * module. (The price: fused multiply-adds would be up to twice as fast.)
 *
 * <h2>Layout</h2>
 * A tile's four rows of A are copied for a block of {@link #KC} steps of K into a small array
 * ({@code ap[4 p + r]}), so the kernel reads A the same way whether it is stored as A, as its
 * transpose or as row arrays. B is read in place from its row arrays. Only whole tiles are
 * computed here: the caller runs the rows and columns left over through the plain kernel.
 */
final class VectorMatMul implements VectorKernel.Tiles {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of a tile. */
    static final int ROWS = 4;
    /** Steps of K per copied block of A: a multiple of {@link #BLOCK_K}, so the plain kernel's blocks stay whole. */
    private static final int KC = 128;
    /** The plain kernel's block of K (see {@link MatMul}); the summation order depends on it. */
    private static final int BLOCK_K = MatMul.BLOCK_K;
    /** Columns per block: B's slice of KC x BLOCK_N stays in the L2 cache. A multiple of 2 L. */
    private static final int BLOCK_N = 512;

    private static final ThreadLocal<double[]> PACKED_A = ThreadLocal.withInitial(() -> new double[ROWS * KC]);

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
        return "Vector API, " + ROWS + " x " + (2 * L) + " tiles, " + L + " doubles a vector";
    }

    @Override
    public void tiles(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol, double[][] aRows,
            double[][] b, int k, int jEnd, boolean overwrite) {
        double[] ap = PACKED_A.get();
        for (int j0 = 0; j0 < jEnd; j0 += BLOCK_N) {
            int j1 = Math.min(jEnd, j0 + BLOCK_N);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int k1 = Math.min(k, k0 + KC);
                for (int i = i0; i + ROWS <= i1; i += ROWS) {
                    if (overwrite && k0 == 0) {
                        // -0.0 + t is t for every t (-0.0 too): the bits of the plain kernel's "the first group sets C".
                        for (int r = i; r < i + ROWS; r++) {
                            Arrays.fill(c[r], j0, j1, -0.0);
                        }
                    }
                    pack(ap, a, aOff, aRow, aCol, aRows, i, k0, k1);
                    for (int j = j0; j < j1; j += 2 * L) {
                        tile(ap, b, k0, k1, j, c[i], c[i + 1], c[i + 2], c[i + 3]);
                    }
                }
            }
        }
    }

    /**
     * One tile over K steps k0 .. k1, k0 a multiple of 16. The plain kernel's blocks of 16 are
     * groups of four, with a group of two and one of one at the end of the last block if it is
     * short; since only the last block can be short, that is: groups of four all the way, then
     * the rest (at the very end of K only).
     */
    private static void tile(double[] ap, double[][] b, int k0, int k1, int j,
            double[] c0, double[] c1, double[] c2, double[] c3) {
        int groups = (k1 - k0) / 4;
        tile4(ap, b, k0, groups, j, c0, c1, c2, c3);
        int p = k0 + 4 * groups;
        if (p < k1) {
            // The last one to three products, by the plain kernel's own loops on these 2L columns
            // (A(i + r, p) is ap[4 (p - k0) + r]: start r - 4 k0, stride 4).
            double[][] rows = {c0, c1, c2, c3};
            for (int r = 0; r < ROWS; r++) {
                MatMul.rowBlock(rows[r], ap, r - ROWS * k0, ROWS, b, p, k1, j, j + 2 * L, false);
            }
        }
    }

    /** {@code ap[4 (p - k0) + r] = A(i + r, p)}, A read from the row arrays if given, else through the strides. */
    private static void pack(double[] ap, double[] a, int aOff, int aRow, int aCol, double[][] aRows,
            int i, int k0, int k1) {
        for (int r = 0; r < ROWS; r++) {
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
     * One tile, rows c0..c3 and columns j .. j + 2L, adding the groups of four products for K
     * steps {@code k0 .. k0 + 4 groups}. A loop with nothing but vectors in local variables: then
     * the JIT keeps them in registers (with branches inside the loop, JDK 17 boxes them on the heap).
     */
    private static void tile4(double[] ap, double[][] b, int k0, int groups, int j,
            double[] c0, double[] c1, double[] c2, double[] c3) {
        DoubleVector x00 = DoubleVector.fromArray(S, c0, j);
        DoubleVector x01 = DoubleVector.fromArray(S, c0, j + L);
        DoubleVector x10 = DoubleVector.fromArray(S, c1, j);
        DoubleVector x11 = DoubleVector.fromArray(S, c1, j + L);
        DoubleVector x20 = DoubleVector.fromArray(S, c2, j);
        DoubleVector x21 = DoubleVector.fromArray(S, c2, j + L);
        DoubleVector x30 = DoubleVector.fromArray(S, c3, j);
        DoubleVector x31 = DoubleVector.fromArray(S, c3, j + L);
        int end = k0 + 4 * groups;
        for (int p = k0; p < end; p += 4) {
            int o = (p - k0) * 4;
            DoubleVector b00 = DoubleVector.fromArray(S, b[p], j);
            DoubleVector b01 = DoubleVector.fromArray(S, b[p], j + L);
            DoubleVector b10 = DoubleVector.fromArray(S, b[p + 1], j);
            DoubleVector b11 = DoubleVector.fromArray(S, b[p + 1], j + L);
            DoubleVector b20 = DoubleVector.fromArray(S, b[p + 2], j);
            DoubleVector b21 = DoubleVector.fromArray(S, b[p + 2], j + L);
            DoubleVector b30 = DoubleVector.fromArray(S, b[p + 3], j);
            DoubleVector b31 = DoubleVector.fromArray(S, b[p + 3], j + L);
            x00 = x00.add(b00.mul(ap[o]).add(b10.mul(ap[o + 4])).add(b20.mul(ap[o + 8])).add(b30.mul(ap[o + 12])));
            x01 = x01.add(b01.mul(ap[o]).add(b11.mul(ap[o + 4])).add(b21.mul(ap[o + 8])).add(b31.mul(ap[o + 12])));
            x10 = x10.add(b00.mul(ap[o + 1]).add(b10.mul(ap[o + 5])).add(b20.mul(ap[o + 9])).add(b30.mul(ap[o + 13])));
            x11 = x11.add(b01.mul(ap[o + 1]).add(b11.mul(ap[o + 5])).add(b21.mul(ap[o + 9])).add(b31.mul(ap[o + 13])));
            x20 = x20.add(b00.mul(ap[o + 2]).add(b10.mul(ap[o + 6])).add(b20.mul(ap[o + 10])).add(b30.mul(ap[o + 14])));
            x21 = x21.add(b01.mul(ap[o + 2]).add(b11.mul(ap[o + 6])).add(b21.mul(ap[o + 10])).add(b31.mul(ap[o + 14])));
            x30 = x30.add(b00.mul(ap[o + 3]).add(b10.mul(ap[o + 7])).add(b20.mul(ap[o + 11])).add(b30.mul(ap[o + 15])));
            x31 = x31.add(b01.mul(ap[o + 3]).add(b11.mul(ap[o + 7])).add(b21.mul(ap[o + 11])).add(b31.mul(ap[o + 15])));
        }
        x00.intoArray(c0, j);
        x01.intoArray(c0, j + L);
        x10.intoArray(c1, j);
        x11.intoArray(c1, j + L);
        x20.intoArray(c2, j);
        x21.intoArray(c2, j + L);
        x30.intoArray(c3, j);
        x31.intoArray(c3, j + L);
    }
}
