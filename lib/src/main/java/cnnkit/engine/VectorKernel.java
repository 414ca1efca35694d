package cnnkit.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Finds, loads and watches the Vector API kernel of {@link MatMul} ({@link VectorMatMul}).
 *
 * <p>The kernel is used when all of these hold:
 * <ul>
 *   <li>the JVM has the module {@code jdk.incubator.vector} (started with
 *       {@code --add-modules jdk.incubator.vector}); without it the class is never loaded and
 *       everything runs on the plain kernel, only slower;</li>
 *   <li>the system property {@code cnnkit.vector} is not {@code false};</li>
 *   <li>it has not been found running slow (see {@link SelfCheck}).</li>
 * </ul>
 * Either kernel gives the same bits (see {@link VectorMatMul}), so which one runs never changes a
 * result. {@link #status()} says which one is in use and why.
 */
final class VectorKernel {
    /** What {@link MatMul} needs from a tiled kernel: whole tiles only, the rest stays with the plain kernel. */
    interface Tiles {
        int rowsPerTile();

        int columnsPerTile();

        String describe();

        /**
         * {@code c[i][j] (+)= sum over p < k of A(i, p) b[p][j]} for rows {@code i0 .. i1}
         * ({@link #rowsPerTile()} at a time from i0, the last tile possibly part-filled) and columns
         * {@code 0 .. jEnd} ({@code jEnd} a multiple of {@link #columnsPerTile()}). A is
         * {@code aRows[i][p]} if {@code aRows} is given, else {@code a[aOff + i aRow + p aCol]}.
         */
        void tiles(double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol, double[][] aRows,
                double[][] b, int k, int jEnd, boolean overwrite);
    }

    static final String MODULE = "jdk.incubator.vector";
    /** Products of at least this many multiply-adds are timed now and then (smaller ones are mostly overhead). */
    static final long SAMPLE_MIN_WORK = 1L << 18;
    /** One in this many large products is timed. */
    private static final int SAMPLE_EVERY = 8;

    private static final Tiles KERNEL;
    private static final String UNAVAILABLE;
    private static final SelfCheck CHECK = new SelfCheck();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CAN_TIME = THREADS.isCurrentThreadCpuTimeSupported();
    private static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

    static {
        Tiles kernel = null;
        String why = null;
        if ("false".equalsIgnoreCase(System.getProperty("cnnkit.vector"))) {
            why = "switched off (-Dcnnkit.vector=false)";
        } else if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            why = "the JVM was started without --add-modules " + MODULE;
        } else {
            try {
                kernel = (Tiles) Class.forName("cnnkit.engine.VectorMatMul").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                why = "the Vector API kernel could not be loaded: " + e;
            }
        }
        KERNEL = kernel;
        UNAVAILABLE = why;
    }

    private VectorKernel() {
    }

    /** The kernel to use now, or null for the plain one. */
    static Tiles active() {
        return KERNEL != null && CHECK.healthy() ? KERNEL : null;
    }

    /** The kernel whether or not the self-check has given up on it (for tests); null without the module. */
    static Tiles loaded() {
        return KERNEL;
    }

    /** Which kernel {@link MatMul} uses, and why. */
    static String status() {
        if (KERNEL == null) {
            return "plain Java loops (" + UNAVAILABLE + ")";
        }
        String fallback = CHECK.reason();
        return fallback == null ? KERNEL.describe() : "plain Java loops (" + fallback + ")";
    }

    /** Runs the kernel on whole tiles and, for one in {@link #SAMPLE_EVERY} large products, times it on this thread's CPU clock. */
    static void run(Tiles kernel, double[][] c, int i0, int i1, double[] a, int aOff, int aRow, int aCol,
            double[][] aRows, double[][] b, int k, int jEnd, boolean overwrite) {
        long work = (long) (i1 - i0) * k * jEnd;
        boolean timed = CAN_TIME && work >= SAMPLE_MIN_WORK && CALLS.incrementAndGet() % SAMPLE_EVERY == 0;
        long start = timed ? THREADS.getCurrentThreadCpuTime() : 0;
        kernel.tiles(c, i0, i1, a, aOff, aRow, aCol, aRows, b, k, jEnd, overwrite);
        if (timed) {
            CHECK.record(work, THREADS.getCurrentThreadCpuTime() - start);
        }
    }

    /**
     * The runtime self-check. On JDK 17 the Vector API kernel has been seen to drop to 0.4-2
     * GFLOP/s for the rest of a run (usually after the matrix shapes change), where the plain
     * kernel gives 4-13. So a sample of the kernel's calls is timed in CPU time of the calling
     * thread (which other processes on a busy machine do not inflate), in windows of
     * {@link #WINDOW} samples. After {@link #WARMUP_WINDOWS} windows (the JIT compiles the kernel
     * meanwhile), a window is slow when it runs below {@link #FLOOR_GFLOPS} or below a quarter of
     * the best window so far; {@link #SLOW_WINDOWS} slow windows in a row switch the plain kernel
     * on for the rest of the run. Since both kernels give the same bits, the switch changes only the speed.
     */
    static final class SelfCheck {
        static final int WINDOW = 16;
        static final int WARMUP_WINDOWS = 2;
        static final int SLOW_WINDOWS = 3;
        static final double FLOOR_GFLOPS = 3.0;

        private long windowWork;
        private long windowNanos;
        private int samples;
        private int windows;
        private int slowInARow;
        private double best;
        private volatile String reason;

        boolean healthy() {
            return reason == null;
        }

        /** Why the plain kernel took over, or null while the vector kernel is in use. */
        String reason() {
            return reason;
        }

        /** Best window so far, GFLOP/s of CPU time. */
        synchronized double best() {
            return best;
        }

        /** One timed call: {@code work} multiply-adds in {@code cpuNanos} ns of thread CPU time. */
        synchronized void record(long work, long cpuNanos) {
            if (reason != null || cpuNanos < 0) {
                return;
            }
            windowWork += work;
            windowNanos += cpuNanos;
            if (++samples < WINDOW) {
                return;
            }
            double gflops = 2.0 * windowWork / Math.max(1, windowNanos);
            samples = 0;
            windowWork = 0;
            windowNanos = 0;
            if (++windows <= WARMUP_WINDOWS) {
                return;
            }
            best = Math.max(best, gflops);
            boolean slow = gflops < FLOOR_GFLOPS || gflops < best / 4;
            slowInARow = slow ? slowInARow + 1 : 0;
            if (slowInARow >= SLOW_WINDOWS) {
                reason = String.format(java.util.Locale.ROOT,
                        "the Vector API kernel ran at %.1f GFLOP/s (best %.1f) in %d windows in a row; "
                                + "switched to the plain kernel, which gives the same results", gflops, best, SLOW_WINDOWS);
            }
        }
    }
}
