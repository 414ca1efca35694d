package cnnkit.check;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The outcome of one exercise check: PASS, FAIL or TODO, the largest relative error found and a
 * one-line explanation.
 *
 * <p>{@link #print()} shows the student one line such as {@code PASS conv_forward  rel error 3.1e-12}.
 * The autograder calls {@link #print(String)} instead, with a random token it made for this
 * grading run; that prints the same line plus a machine line
 * {@code CNNKIT-RESULT name status error mac}, where mac is the HMAC-SHA256 of
 * {@code "name status error"} keyed with the token. Student code running in the same kernel can
 * print anything, but without the token it cannot produce a line the grader accepts.
 */
public final class ExerciseResult {
    /** The prefix of the signed line the autograder reads. */
    public static final String SIGNED_PREFIX = "CNNKIT-RESULT";

    /** PASS: every comparison within tolerance; FAIL: a wrong value or an exception; TODO: still the stub. */
    public enum Status { PASS, FAIL, TODO }

    private final String name;
    private final Status status;
    private final double error;
    private final String detail;

    ExerciseResult(String name, Status status, double error, String detail) {
        this.name = name;
        this.status = status;
        this.error = error;
        this.detail = detail == null ? "" : detail;
    }

    public String name() {
        return name;
    }

    public Status status() {
        return status;
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** The largest relative error over all comparisons; NaN when nothing could be compared. */
    public double error() {
        return error;
    }

    /** Why it failed (which value, where), or what was compared when it passed. */
    public String detail() {
        return detail;
    }

    /** Prints the result for the student: one line, plus the detail on a second line. */
    public ExerciseResult print() {
        System.out.println(this);
        return this;
    }

    /** Prints the result and, for the autograder, the line signed with {@code token}. */
    public ExerciseResult print(String token) {
        print();
        System.out.println(signedLine(token));
        return this;
    }

    /** {@code CNNKIT-RESULT name status error mac}. */
    public String signedLine(String token) {
        String payload = name + " " + status + " " + formatError(error);
        return SIGNED_PREFIX + " " + payload + " " + hmac(token, payload);
    }

    /**
     * The relative error as the report shows it: {@code 3.1e-12}; {@code inf} for a wrong shape, a
     * missing result or a NaN; {@code -} when nothing was compared.
     */
    public static String formatError(double error) {
        if (Double.isNaN(error)) {
            return "-";
        }
        return Double.isInfinite(error) ? "inf" : String.format(Locale.ROOT, "%.1e", error);
    }

    /** Hex HMAC-SHA256 of {@code payload} keyed with {@code token}. */
    static String hmac(String token, String payload) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("ExerciseResult: the signing token must not be empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            StringBuilder hex = new StringBuilder();
            for (byte b : mac.doFinal(payload.getBytes(StandardCharsets.UTF_8))) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        String head = String.format(Locale.ROOT, "%s %s", status, name);
        switch (status) {
            case TODO:
                return head + "  not implemented yet";
            default:
                String line = head + "  rel error " + formatError(error);
                return detail.isEmpty() ? line : line + "\n     " + detail;
        }
    }
}
