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
 * <p>The number of threads is {@code Runtime.availableProcessors()}, or the system property
 * {@code cnnkit.threads} if set (e.g. {@code -Dcnnkit.threads=1} to measure one core).
 * A {@code forEach} inside a task runs sequentially, so nested kernels never oversubscribe.
 */
public final class Parallel {
    private static final int THREADS = configuredThreads();
    private static final ForkJoinPool HELPERS = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {
    }

    /** How many threads {@link #forEach} uses. */
    public static int threads() {
        return THREADS;
    }

    /** Runs {@code body.accept(t)} once for every t in 0..tasks-1, spread over the threads; returns when all are done. */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || HELPERS == null || INSIDE.get()) {
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
        int helpers = Math.min(THREADS - 1, tasks - 1);
        ForkJoinTask<?>[] running = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            running[h] = HELPERS.submit(drain);
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
        int tasks = (int) Math.min(4L * THREADS, Math.max(1, n / Math.max(1, grain)));
        if (tasks <= 1) {
            body.run(0, n);
            return;
        }
        forEach(tasks, t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }

    private static int configuredThreads() {
        String prop = System.getProperty("cnnkit.threads");
        if (prop != null && !prop.isBlank()) {
            try {
                int n = Integer.parseInt(prop.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("cnnkit.threads must be a positive integer, got '" + prop + "'");
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
