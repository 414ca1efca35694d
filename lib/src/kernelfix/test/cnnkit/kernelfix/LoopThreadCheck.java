package cnnkit.kernelfix;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.channels.LoopThread;

/**
 * Checks cnnkit's {@link LoopThread} on the class path ahead of the kernel jar (./kit test runs it):
 * a request loop waits for {@link LoopThread#openForRequests()}; once open, every started loop
 * takes its turns (the kernel's own class loses a few percent of them, see
 * docs/kernel-start-race.md); a turn that throws does not end the loop. Prints one line per check
 * and "kernelfix checks: P passed, F failed".
 */
public final class LoopThreadCheck {
    private static final int STARTS = 500;
    private static int passed;
    private static int failed;

    private LoopThreadCheck() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger(LoopThread.class.getSimpleName()).setLevel(Level.OFF);  // the throwing loop logs every turn
        check("the class on the class path is cnnkit's", hasOpenForRequests());
        check("a request loop takes no turn before openForRequests()", waitsForHandlers());
        LoopThread.openForRequests();
        int lost = loopsThatNeverRan();
        check("every one of " + STARTS + " started loops runs (lost: " + lost + ")", lost == 0);
        check("a loop whose turns throw goes on", survivesThrowingTurns());
        System.out.printf("kernelfix checks: %d passed, %d failed%n", passed, failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void check(String what, boolean ok) {
        System.out.println((ok ? "ok     " : "FAILED ") + what);
        if (ok) {
            passed++;
        } else {
            failed++;
        }
    }

    private static boolean hasOpenForRequests() {
        try {
            LoopThread.class.getMethod("openForRequests");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean waitsForHandlers() throws InterruptedException {
        AtomicInteger turns = new AtomicInteger();
        LoopThread t = new LoopThread("gated", 1, turns::incrementAndGet);
        t.start();
        Thread.sleep(300);
        boolean waited = turns.get() == 0 && t.isAlive();
        t.shutdown();
        t.join(5000);
        return waited && !t.isAlive();
    }

    private static int loopsThatNeverRan() throws InterruptedException {
        int lost = 0;
        for (int i = 0; i < STARTS; i++) {
            AtomicInteger turns = new AtomicInteger();
            LoopThread t = new LoopThread("loop-" + i, 1, turns::incrementAndGet);
            t.start();
            t.join(20);
            if (!t.isAlive() && turns.get() == 0) {
                lost++;
            }
            t.shutdown();
            t.join();
        }
        return lost;
    }

    private static boolean survivesThrowingTurns() throws InterruptedException {
        AtomicInteger turns = new AtomicInteger();
        LoopThread t = new LoopThread("throwing", 1, () -> {
            turns.incrementAndGet();
            throw new IllegalStateException("a bad message");
        });
        t.start();
        long deadline = System.currentTimeMillis() + 5000;
        while (turns.get() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        boolean alive = t.isAlive();
        t.shutdown();
        t.join();
        return turns.get() >= 3 && alive;
    }
}
