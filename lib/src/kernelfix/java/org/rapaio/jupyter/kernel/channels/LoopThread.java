package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * cnnkit's replacement for the loop thread of rapaio-jupyter-kernel 3.0.1, which runs each socket
 * of the kernel (shell, control, heartbeat) as "do one turn, sleep, repeat". It keeps the class's
 * name and public methods, and sits ahead of the kernel jar on the class path
 * (see docs/kernel-start-race.md for the faults it works around):
 * <ul>
 *   <li>the running flag is raised before the thread starts, so a thread that is scheduled at
 *       once cannot find it still false and end before its first turn;</li>
 *   <li>the request loops (every loop but the heartbeat) take no turn until
 *       {@link #openForRequests()} is called, which {@code cnnkit.kernelfix.KernelLauncher} does
 *       once the kernel's message handlers are installed; the latch also makes those handlers
 *       visible to the loop threads;</li>
 *   <li>the shell and control loops take turns: the kernel keeps the request being answered in one
 *       field shared by both loops, so a control request handled while a shell request is being
 *       answered sends the shell reply to the wrong client (Jupyter asks for kernel_info on both
 *       sockets at once after a restart, and then waits in vain). A control turn waits for a
 *       running shell turn at most {@value #CONTROL_WAIT_MILLIS} ms, so that an interrupt still
 *       reaches a long-running cell;</li>
 *   <li>a turn that throws is logged and the loop goes on: one bad message cannot end the kernel;</li>
 *   <li>the control loop is named {@code Control-N}, so a thread dump tells it from the shell loop.</li>
 * </ul>
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());
    private static final CountDownLatch HANDLERS_READY = new CountDownLatch(1);
    private static final AtomicInteger CONTROL_ID = new AtomicInteger();
    private static final long GATE_POLL_MILLIS = 100;
    static final long CONTROL_WAIT_MILLIS = 1000;
    private static final ReentrantLock TURNS = new ReentrantLock();

    private enum Kind { SHELL, CONTROL, HEARTBEAT, OTHER }

    private final long sleep;
    private final Runnable loopBody;
    private final Kind kind;
    private volatile boolean running = false;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
        // The channel that builds the loop is the one that called this constructor.
        Class<?> channel = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        this.kind = channel == ShellChannel.class ? Kind.SHELL
                : channel == ControlChannel.class ? Kind.CONTROL
                : channel == HeartbeatChannel.class ? Kind.HEARTBEAT : Kind.OTHER;
        if (kind == Kind.CONTROL) {
            setName("Control-" + CONTROL_ID.getAndIncrement());
        }
    }

    /** Lets the request loops take their first turn. Call it once the message handlers are in place. */
    public static void openForRequests() {
        HANDLERS_READY.countDown();
    }

    /** Whether {@link #openForRequests()} has been called. */
    public static boolean isOpenForRequests() {
        return HANDLERS_READY.getCount() == 0;
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    @Override
    public void run() {
        // The heartbeat only echoes bytes: it may answer while the kernel is still starting.
        if (kind != Kind.HEARTBEAT && !awaitHandlers()) {
            return;
        }
        while (running) {
            try {
                turn();
            } catch (RuntimeException | Error e) {
                LOGGER.log(Level.SEVERE, getName() + ": one turn of the loop failed; the loop goes on", e);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    /** One turn of the loop body; the shell and control turns do not overlap (but see CONTROL_WAIT_MILLIS). */
    private void turn() throws InterruptedException {
        boolean locked = switch (kind) {
            case SHELL -> {
                TURNS.lockInterruptibly();
                yield true;
            }
            case CONTROL -> TURNS.tryLock(CONTROL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            default -> false;
        };
        try {
            loopBody.run();
        } finally {
            if (locked) {
                TURNS.unlock();
            }
        }
    }

    /** Waits for the handlers; false when the loop was shut down (or interrupted) first. */
    private boolean awaitHandlers() {
        try {
            // Polls rather than waits for good, so that a shutdown before start-up completes still ends the thread.
            while (running && !HANDLERS_READY.await(GATE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                // keep waiting
            }
            return running;
        } catch (InterruptedException e) {
            running = false;
            return false;
        }
    }

    public void shutdown() {
        running = false;
    }
}
