package cnnkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
