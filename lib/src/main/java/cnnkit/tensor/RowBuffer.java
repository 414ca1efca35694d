package cnnkit.tensor;

/**
 * A reusable matrix stored as separate row arrays, grown on demand and never shrunk.
 *
 * <p>The fast kernels keep their temporaries (unrolled windows, packed operands, accumulator
 * rows) in row buffers so that a training step allocates nothing inside its loops. Kernels
 * keep one buffer per thread ({@code ThreadLocal<RowBuffer>}), so tasks running in parallel
 * never share one. Rows are separate arrays because that is what lets the JIT vectorise
 * {@link MatMul}'s inner loop (see there).
 */
public final class RowBuffer {
    private double[][] rows = new double[0][0];

    /**
     * At least {@code count} rows of at least {@code length} values each. Contents are left
     * over from earlier use; callers overwrite or clear what they read.
     */
    public double[][] rows(int count, int length) {
        if (rows.length < count || (count > 0 && rows[0].length < length)) {
            int newCount = Math.max(count, rows.length);
            int newLength = Math.max(length, rows.length > 0 ? rows[0].length : 0);
            rows = new double[newCount][newLength];
        }
        return rows;
    }

    /** Like {@link #rows} with the first {@code length} values of the first {@code count} rows set to 0. */
    public double[][] zeroRows(int count, int length) {
        double[][] r = rows(count, length);
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(r[i], 0, length, 0.0);
        }
        return r;
    }
}
