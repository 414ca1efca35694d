package cnnkit.check;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The check of one exercise: named cases, each worth points, run against the student's code.
 * A check cell of an exercise notebook builds one and prints it:
 *
 * <pre>{@code
 * cnnkit.check.Check.exercise("relu_forward")
 *     .add("hand example", 1, t -> t.close("out", reluForward(x), expected))
 *     .add("numerical gradient", 2, t -> t.gradient("dX", reluBackward(dOut, x), loss, x))
 *     .print();
 * }</pre>
 *
 * <p>A case passes when every comparison in it is within {@link #TOLERANCE}; the stub's
 * {@code UnsupportedOperationException("not implemented yet")} makes it TODO; any other exception,
 * a {@code null}, a wrong shape or a wrong number fails it with a one-line reason. Each case
 * scores its points or nothing, so an almost-right answer scores the cases it gets right, and the
 * report names the case that failed. Cases never throw: whatever the student's code does, the
 * check goes on with the next case.
 *
 * <p>The grader replaces {@code .print()} with {@code .print(token)}, a random token it makes
 * for this one check; that also prints one machine line per case, signed with HMAC-SHA256 under
 * the token ({@link #SIGNED_PREFIX}). Student code never sees the token, so it cannot make a line
 * the grader accepts.
 */
public final class Check {
    /** A comparison passes when its relative error is below this; correct code gets about 1e-9. */
    public static final double TOLERANCE = 1e-6;
    /** The prefix of the machine lines the grader reads. */
    public static final String SIGNED_PREFIX = "CNNKIT-CASE";

    /** The body of a case: calls the student's code and records comparisons in {@code t}. */
    @FunctionalInterface
    public interface Case {
        void run(Comparisons t) throws Exception;
    }

    /** PASS: every comparison within tolerance; FAIL: a wrong value or an exception; TODO: the stub. */
    public enum Status { PASS, FAIL, TODO }

    /** The outcome of one case. */
    public record Outcome(String name, double points, Status status, double error, String detail) {
        public double scored() {
            return status == Status.PASS ? points : 0;
        }
    }

    private final String exercise;
    private final List<Outcome> outcomes = new ArrayList<>();

    private Check(String exercise) {
        if (exercise == null || !exercise.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Check: an exercise name is letters, digits and _, got '" + exercise + "'");
        }
        this.exercise = exercise;
    }

    /** A check for the exercise called {@code name} (its {@code // EXERCISE name} cell). */
    public static Check exercise(String name) {
        return new Check(name);
    }

    /** Runs one case now and records its outcome; {@code points} is what it is worth. */
    public Check add(String caseName, double points, Case body) {
        if (!(points >= 0) || Double.isInfinite(points)) {
            throw new IllegalArgumentException("Check " + exercise + ": points of case '" + caseName
                    + "' must be a finite number >= 0, got " + points);
        }
        outcomes.add(run(caseName, points, body));
        return this;
    }

    /** Work several cases share, such as training a network once: see {@link #using}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /** A case that looks at the shared work's result. */
    @FunctionalInterface
    public interface SharedCase<T> {
        void run(Done<T> done, Comparisons t) throws Exception;
    }

    /** The shared work's value and how long it took, in seconds of wall time. */
    public record Done<T>(T value, double seconds) {
    }

    /**
     * Runs {@code work} once (usually the student's training function), timing it, and returns a
     * view whose {@code add} cases each get its result. When the work throws, every case of the
     * view fails (or is TODO) with that reason.
     */
    public <T> Shared<T> using(Work<T> work) {
        long t0 = System.nanoTime();
        try {
            T value = work.run();
            return new Shared<>(this, new Done<>(value, (System.nanoTime() - t0) / 1e9), null);
        } catch (Throwable e) {
            if (e.getClass().getName().equals("java.lang.ThreadDeath")) {
                throw (Error) e;
            }
            return new Shared<>(this, null, e);
        }
    }

    /** The cases of a check that share one piece of work; see {@link #using}. */
    public static final class Shared<T> {
        private final Check check;
        private final Done<T> done;
        private final Throwable failure;

        private Shared(Check check, Done<T> done, Throwable failure) {
            this.check = check;
            this.done = done;
            this.failure = failure;
        }

        public Shared<T> add(String caseName, double points, SharedCase<T> body) {
            check.add(caseName, points, t -> {
                if (failure != null) {
                    throw failure instanceof Exception ex ? ex : new RuntimeException(failure);
                }
                body.run(done, t);
            });
            return this;
        }

        public Check print() {
            return check.print();
        }

        public Check print(String token) {
            return check.print(token);
        }
    }

    static Outcome run(String caseName, double points, Case body) {
        Comparisons c = new Comparisons(TOLERANCE);
        try {
            body.run(c);
        } catch (UnsupportedOperationException e) {
            if (e.getMessage() != null && e.getMessage().contains("not implemented")) {
                return new Outcome(caseName, points, Status.TODO, Double.NaN, "not implemented yet");
            }
            return new Outcome(caseName, points, Status.FAIL, Double.NaN, describe(e));
        } catch (StackOverflowError | OutOfMemoryError e) {
            return new Outcome(caseName, points, Status.FAIL, Double.NaN, describe(e));
        } catch (Throwable t) {
            if (t.getClass().getName().equals("java.lang.ThreadDeath")) {
                throw (Error) t; // the cell is being stopped: let it
            }
            return new Outcome(caseName, points, Status.FAIL, Double.NaN, describe(t));
        }
        if (c.count() == 0) {
            return new Outcome(caseName, points, Status.FAIL, Double.NaN, "the case compared nothing");
        }
        return c.ok() ? new Outcome(caseName, points, Status.PASS, c.worst(), "")
                : new Outcome(caseName, points, Status.FAIL, c.worst(), c.firstFailure());
    }

    public String name() {
        return exercise;
    }

    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public double points() {
        return outcomes.stream().mapToDouble(Outcome::scored).sum();
    }

    public double maxPoints() {
        return outcomes.stream().mapToDouble(Outcome::points).sum();
    }

    /** PASS when every case passed, TODO when none started, FAIL otherwise. */
    public Status status() {
        if (outcomes.stream().allMatch(o -> o.status() == Status.PASS)) {
            return Status.PASS;
        }
        return outcomes.stream().allMatch(o -> o.status() == Status.TODO) ? Status.TODO : Status.FAIL;
    }

    /** Prints the cases for the student: one line each, the reason under a failed one. */
    public Check print() {
        System.out.println(this);
        return this;
    }

    /** Prints the cases and, for the grader, one line per case signed with {@code token}. */
    public Check print(String token) {
        print();
        for (int i = 0; i < outcomes.size(); i++) {
            System.out.println(signedLine(token, i, outcomes.size()));
        }
        return this;
    }

    /**
     * {@code CNNKIT-CASE exercise index count status points max error hex(name) hex(detail) mac}, the
     * mac being the hex HMAC-SHA256 of everything before it, keyed with {@code token}.
     */
    String signedLine(String token, int index, int count) {
        Outcome o = outcomes.get(index);
        String payload = String.join(" ", exercise, Integer.toString(index), Integer.toString(count),
                o.status().name(), number(o.scored()), number(o.points()), formatError(o.error()),
                hex(o.name()), hex(shorten(o.detail(), 300)));
        return SIGNED_PREFIX + " " + payload + " " + hmac(token, payload);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %s  %s / %s points", status(), exercise,
                number(points()), number(maxPoints())));
        for (Outcome o : outcomes) {
            s.append(String.format(Locale.ROOT, "%n  %-4s %5s / %-3s %s", o.status(), number(o.scored()),
                    number(o.points()), o.name()));
            if (o.status() == Status.FAIL) {
                s.append("\n         ").append(o.detail());
            }
        }
        return s.toString();
    }

    /** The relative error as reports show it: {@code 3.1e-12}, {@code inf}, or {@code -} when none. */
    public static String formatError(double error) {
        if (Double.isNaN(error)) {
            return "-";
        }
        return Double.isInfinite(error) ? "inf" : String.format(Locale.ROOT, "%.1e", error);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String hex(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("%02x", b));
        }
        return out.length() == 0 ? "-" : out.toString();
    }

    /** Hex HMAC-SHA256 of {@code payload} keyed with {@code token}. */
    @SuppressWarnings("removal")
    static String hmac(String token, String payload) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("Check: the signing token must not be empty");
        }
        // the crypto provider may need to load classes: do it with the library's own permissions
        byte[] mac = java.security.AccessController.doPrivileged(
                (java.security.PrivilegedAction<byte[]>) () -> rawHmac(token, payload));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private static byte[] rawHmac(String token, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * "threw NullPointerException: message (in convForward)", naming the innermost method of the
     * student's code when there is one (JShell compiles notebook cells into package REPL).
     */
    static String describe(Throwable t) {
        String msg = t.getMessage();
        String what = "threw " + t.getClass().getSimpleName() + (msg == null ? "" : ": " + firstLine(msg));
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("REPL.")) {
                return what + " (in " + e.getMethodName() + ")";
            }
        }
        return what;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return shorten(nl < 0 ? s : s.substring(0, nl), 200);
    }
}
