package cnnkit.tensor;

/**
 * Matrix multiply kernels on row-major arrays: C (M, N) = A (M, K) x B (K, N).
 *
 * <p>{@link #naive} is the textbook triple loop, kept as the reference. {@link #multiply}
 * is the one the layers call; it uses the i-k-j loop order so that the innermost loop walks
 * B and C along rows, which keeps memory access sequential.
 */
public final class MatMul {
    private MatMul() {
    }

    /** C = A x B, overwriting C. */
    public static void multiply(double[] a, double[] b, double[] c, int m, int k, int n) {
        java.util.Arrays.fill(c, 0, m * n, 0.0);
        multiplyAdd(a, b, c, m, k, n);
    }

    /** C += A x B. */
    public static void multiplyAdd(double[] a, double[] b, double[] c, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int cRow = i * n;
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                if (aip == 0.0) {
                    continue;
                }
                int bRow = p * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    /** C += A^T x B, where A is stored (K, M). */
    public static void multiplyTransAAdd(double[] a, double[] b, double[] c, int m, int k, int n) {
        for (int p = 0; p < k; p++) {
            int aRow = p * m;
            int bRow = p * n;
            for (int i = 0; i < m; i++) {
                double api = a[aRow + i];
                if (api == 0.0) {
                    continue;
                }
                int cRow = i * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += api * b[bRow + j];
                }
            }
        }
    }

    /** C += A x B^T, where B is stored (N, K). */
    public static void multiplyTransBAdd(double[] a, double[] b, double[] c, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int aRow = i * k;
            for (int j = 0; j < n; j++) {
                int bRow = j * k;
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[aRow + p] * b[bRow + p];
                }
                c[i * n + j] += s;
            }
        }
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
}
