package cnnkit.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on all cores: the fast kernels split their work (images of a batch, row
 * blocks of a matrix) into tasks {@code 0 .. tasks-1} and hand them to {@link #forEach}.
 *
 * <p>The calling thread works too, next to {@code threads() - 1} helper threads; each thread
 * claims the next unclaimed task number until none are left. Which thread runs which task
 * depends on timing, so callers keep results deterministic by giving every task its own output
 * (its own rows, its own image, or its own partial sum that is later added up in task order).
 *
 * <p>The number of threads is {@code Runtime.availableProcessors()} of the JVM, or the system
 * property {@code cnnkit.threads} if set (e.g. {@code -Dcnnkit.threads=1} to measure one core),
 * or else the environment variable {@code CNNKIT_THREADS}; {@link #setThreads} changes it while
 * running (e.g. from a notebook cell whose kernel JVM sees fewer cores than the machine has).
 * Results never depend on it. A {@code forEach} inside a task runs sequentially, so nested
 * kernels never oversubscribe.
 */
public final class Parallel {
    /** The thread count and its helper pool, swapped together by {@link #setThreads}. */
    private record Pool(int threads, ForkJoinPool helpers) {
        static Pool of(int threads) {
            return new Pool(threads, threads > 1 ? new ForkJoinPool(threads - 1) : null);
        }
    }

    private static volatile Pool pool = Pool.of(configuredThreads());
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {
    }

    /** How many threads {@link #forEach} uses. */
    public static int threads() {
        return pool.threads();
    }

    /**
     * Uses {@code threads} threads from now on (the caller and {@code threads - 1} helpers).
     * Results stay the same bits; only the speed changes. Call it between computations, not
     * while one is running on another thread.
     */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: need at least 1 thread, got " + threads);
        }
        Pool old = pool;
        if (old.threads() == threads) {
            return;
        }
        pool = Pool.of(threads);
        if (old.helpers() != null) {
            old.helpers().shutdown(); // running tasks finish; its idle threads end
        }
    }

    /** Runs {@code body.accept(t)} once for every t in 0..tasks-1, spread over the threads; returns when all are done. */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        Pool p = pool;
        if (tasks == 1 || p.helpers() == null || INSIDE.get()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            boolean outer = INSIDE.get();
            INSIDE.set(Boolean.TRUE);
            try {
                for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                    body.accept(t);
                }
            } catch (RuntimeException | Error e) {
                next.set(tasks); // stop the others from starting new tasks
                throw e;
            } finally {
                INSIDE.set(outer);
            }
        };
        int helpers = Math.min(p.threads() - 1, tasks - 1);
        ForkJoinTask<?>[] running = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            running[h] = p.helpers().submit(drain);
        }
        RuntimeException failure = null;
        try {
            drain.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        // Join the most recent submission first: if no helper has picked it up yet, join runs it here.
        for (int h = helpers - 1; h >= 0; h--) {
            try {
                running[h].join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The body of {@link #forRange}: handles indices {@code from <= i < to}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Splits {@code 0 .. n-1} into contiguous ranges of at least {@code grain} indices (a few per
     * thread) and runs {@code body} on them in parallel. For element-wise loops, where each
     * index is computed on its own and the split cannot change any result.
     */
    public static void forRange(int n, int grain, Range body) {
        int tasks = (int) Math.min(4L * threads(), Math.max(1, n / Math.max(1, grain)));
        if (tasks <= 1) {
            body.run(0, n);
            return;
        }
        forEach(tasks, t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }

    private static int configuredThreads() {
        String prop = System.getProperty("cnnkit.threads");
        String name = "cnnkit.threads";
        if (prop == null || prop.isBlank()) {
            prop = System.getenv("CNNKIT_THREADS");
            name = "CNNKIT_THREADS";
        }
        if (prop != null && !prop.isBlank()) {
            try {
                int n = Integer.parseInt(prop.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException(name + " must be a positive integer, got '" + prop + "'");
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
