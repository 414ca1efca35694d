package cnnkit.engine;

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
        if (rows.length < count) {
            rows = java.util.Arrays.copyOf(rows, count);
        }
        // Grow rows one by one: a buffer used for (64 x 25088) and then (25088 x 64) must not
        // become 25088 x 25088, which is what growing both sides to their maximum would give.
        for (int i = 0; i < count; i++) {
            if (rows[i] == null || rows[i].length < length) {
                rows[i] = new double[length];
            }
        }
        return rows;
    }
}
