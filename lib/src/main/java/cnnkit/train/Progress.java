package cnnkit.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Live training progress that stays small: one line per epoch, rewritten in place while the
 * epoch runs.
 *
 * <p>Updates inside an epoch start with a carriage return and no newline, so a terminal or a
 * notebook overwrites the line; when the epoch ends the final line is written with a newline.
 * Updates are throttled twice, by time ({@link #MIN_INTERVAL_SECONDS} between updates) and by
 * work (at least {@link #MIN_FRACTION} of the epoch's batches), so a long epoch produces about
 * twenty updates at most and a saved notebook never holds thousands of lines.
 */
public final class Progress {
    public static final double MIN_INTERVAL_SECONDS = 0.5;
    public static final double MIN_FRACTION = 0.05;

    /** Looked up at every print: notebook kernels may swap System.out between cells. */
    private final Supplier<PrintStream> sink;
    private final LongSupplier nanoClock;
    private int epoch;
    private int epochs;
    private int batches;
    private long epochStart;
    private long lastUpdate;
    private int lastBatch;
    private int lastWidth;
    private boolean midLine;

    Progress(PrintStream out, LongSupplier nanoClock) {
        this(out == null ? null : () -> out, nanoClock);
    }

    private Progress(Supplier<PrintStream> sink, LongSupplier nanoClock) {
        this.sink = sink;
        this.nanoClock = nanoClock;
    }

    /** Progress printed to {@code out}. */
    public static Progress to(PrintStream out) {
        return new Progress(out, System::nanoTime);
    }

    /** Progress printed to whatever standard output is at the time, which a notebook shows under the cell. */
    public static Progress console() {
        return new Progress(() -> System.out, System::nanoTime);
    }

    /** No output at all. */
    public static Progress quiet() {
        return new Progress((Supplier<PrintStream>) null, System::nanoTime);
    }

    /** One line before the first epoch, e.g. what is trained on what. */
    public void header(String line) {
        println(line);
    }

    public void startEpoch(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.epochStart = nanoClock.getAsLong();
        this.lastUpdate = epochStart;
        this.lastBatch = 0;
    }

    /** Reports that batch {@code k} (1-based) finished; prints only if the throttle allows. */
    public void batch(int k, double runningLoss, long samples) {
        long now = nanoClock.getAsLong();
        boolean timeOk = (now - lastUpdate) * 1e-9 >= MIN_INTERVAL_SECONDS;
        boolean workOk = k - lastBatch >= Math.max(1, MIN_FRACTION * batches);
        if (k < batches && timeOk && workOk) {
            lastUpdate = now;
            lastBatch = k;
            rewrite(String.format(Locale.ROOT, "%s  batch %d/%d  loss %.4f  %s", epochLabel(), k, batches,
                    runningLoss, speed(samples, now)));
        }
    }

    /** Replaces the epoch's line by its final form, {@code summary} appended, and ends it. */
    public void endEpoch(String summary, long samples) {
        long now = nanoClock.getAsLong();
        rewrite(String.format(Locale.ROOT, "%s  %s  %s", epochLabel(), summary, speed(samples, now)));
        if (sink != null) {
            PrintStream out = sink.get();
            out.println();
            out.flush();
        }
        midLine = false;
        lastWidth = 0;
    }

    /** A message on a line of its own (the current progress line is ended first). */
    public void println(String message) {
        if (sink == null) {
            return;
        }
        PrintStream out = sink.get();
        if (midLine) {
            out.println();
            midLine = false;
            lastWidth = 0;
        }
        out.println(message);
        out.flush();
    }

    private String epochLabel() {
        int w = String.valueOf(epochs).length();
        return String.format(Locale.ROOT, "epoch %" + w + "d/%d", epoch + 1, epochs);
    }

    private String speed(long samples, long now) {
        double s = Math.max(1e-9, (now - epochStart) * 1e-9);
        return String.format(Locale.ROOT, "%,.0f samples/s  %.1f s", samples / s, s);
    }

    private void rewrite(String text) {
        if (sink == null) {
            return;
        }
        PrintStream out = sink.get();
        // A carriage return does not clear the line, so pad over a longer previous text.
        String padded = text.length() < lastWidth ? text + " ".repeat(lastWidth - text.length()) : text;
        out.print('\r');
        out.print(padded);
        out.flush();
        lastWidth = text.length();
        midLine = true;
    }
}
