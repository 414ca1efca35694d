package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnkit.tensor.Tensor;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyTaskRunsExactlyOnce() {
        for (int tasks : new int[] {0, 1, 2, 3, 17, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, tasks));
            Parallel.forEach(tasks, t -> runs.incrementAndGet(t));
            for (int t = 0; t < tasks; t++) {
                assertEquals(1, runs.get(t), "task " + t + " of " + tasks);
            }
        }
    }

    @Test
    void nestedCallsRunEveryInnerTask() {
        AtomicIntegerArray runs = new AtomicIntegerArray(6 * 7);
        Parallel.forEach(6, outer -> Parallel.forEach(7, inner -> runs.incrementAndGet(outer * 7 + inner)));
        for (int i = 0; i < 42; i++) {
            assertEquals(1, runs.get(i), "pair " + i);
        }
    }

    @Test
    void forRangeCoversEveryIndexOnce() {
        for (int n : new int[] {0, 1, 5, 99, 100_003}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
            Parallel.forRange(n, 10, (from, to) -> {
                assertTrue(from <= to, "range " + from + ".." + to);
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "index " + i + " of " + n);
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCall() {
        IllegalStateException boom = new IllegalStateException("task 5 failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forEach(20, t -> {
            if (t == 5) {
                throw boom;
            }
        }));
        assertTrue(thrown == boom || thrown.getCause() == boom || thrown.getMessage().contains("task 5 failed"),
                "unexpected exception " + thrown);
        // The pool is still usable afterwards.
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        Parallel.forEach(4, t -> runs.incrementAndGet(t));
        for (int t = 0; t < 4; t++) {
            assertEquals(1, runs.get(t));
        }
    }

    @Test
    void threadsIsPositive() {
        assertTrue(Parallel.threads() >= 1, "threads() = " + Parallel.threads());
    }

    @Test
    void setThreadsRefusesZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    /** A convolution's forward and backward give the same bits on 1, 2 and 3 threads. */
    @Test
    void resultsAreTheSameBitsOnAnyNumberOfThreads() {
        int before = Parallel.threads();
        Tensor x = Tensor.randn(1, 8, 16, 10, 10);
        Tensor w = Tensor.randn(2, 32, 16, 3, 3);
        Tensor b = Tensor.randn(3, 32);
        Tensor g = Tensor.randn(4, 8, 32, 10, 10);
        double[][] first = null;
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                assertEquals(threads, Parallel.threads());
                Tensor dW = Tensor.zeros(w.shape());
                Tensor dB = Tensor.zeros(b.shape());
                Tensor y = Engine.conv2d(x, w, b, 1, 1);
                Tensor dx = Engine.conv2dBackward(x, w, g, dW, dB, 1, 1, true);
                double[][] now = {y.data(), dx.data(), dW.data(), dB.data()};
                if (first == null) {
                    first = now;
                } else {
                    for (int i = 0; i < now.length; i++) {
                        assertArrayEquals(first[i], now[i], "result " + i + " on " + threads + " threads");
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
