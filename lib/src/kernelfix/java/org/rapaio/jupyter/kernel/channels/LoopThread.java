package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * cnnkit's replacement for the loop thread of rapaio-jupyter-kernel 3.0.1, which runs each socket
 * of the kernel (shell, control, heartbeat) as "do one turn, sleep, repeat". It keeps the class's
 * name and public methods, and sits ahead of the kernel jar on the class path
 * (see docs/kernel-start-race.md for the three faults it removes):
 * <ul>
 *   <li>the running flag is raised before the thread starts, so a thread that is scheduled at
 *       once cannot find it still false and end before its first turn;</li>
 *   <li>the request loops (every loop but the heartbeat) take no turn until
 *       {@link #openForRequests()} is called, which {@code cnnkit.kernelfix.KernelLauncher} does
 *       once the kernel's message handlers are installed; the latch also makes those handlers
 *       visible to the loop threads;</li>
 *   <li>a turn that throws is logged and the loop goes on: one bad message cannot end the kernel;</li>
 *   <li>the control loop is named {@code Control-N}, so a thread dump tells it from the shell loop.</li>
 * </ul>
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());
    private static final CountDownLatch HANDLERS_READY = new CountDownLatch(1);
    private static final AtomicInteger CONTROL_ID = new AtomicInteger();
    private static final long GATE_POLL_MILLIS = 100;

    private final long sleep;
    private final Runnable loopBody;
    private final boolean servesRequests;
    private volatile boolean running = false;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
        // The channel that builds the loop is the one that called this constructor.
        Class<?> channel = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (channel == ControlChannel.class) {
            setName("Control-" + CONTROL_ID.getAndIncrement());
        }
        // The heartbeat only echoes bytes: it may answer while the kernel is still starting.
        this.servesRequests = channel != HeartbeatChannel.class;
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
        if (servesRequests && !awaitHandlers()) {
            return;
        }
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException | Error e) {
                LOGGER.log(Level.SEVERE, getName() + ": one turn of the loop failed; the loop goes on", e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
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
