package cnnkit.optim;

/**
 * The checks every optimizer applies to its settings, so that a NaN, an infinity or a value of
 * the wrong sign is refused where it is typed instead of surfacing later as a NaN loss. Each check
 * returns the value, so a constructor can write {@code this.lr = HyperParameters.positive("SGD", "lr", lr)}.
 * The message names the optimizer, the setting, what it must be and what it was.
 */
public final class HyperParameters {
    private HyperParameters() {
    }

    /** A finite number greater than zero, e.g. a learning rate given to a constructor or eps. */
    public static double positive(String owner, String name, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw invalid(owner, name, "a finite number > 0", value);
        }
        return value;
    }

    /**
     * A finite number that is zero or more, e.g. a weight decay, or a learning rate set by a
     * schedule (a warm-up may start at 0 and a cosine decay may end there).
     */
    public static double nonNegative(String owner, String name, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw invalid(owner, name, "a finite number >= 0", value);
        }
        return value;
    }

    /** A decay rate of a running average: 0 <= value < 1 (momentum, Adam's betas, RMSProp's rho). */
    public static double fraction(String owner, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw invalid(owner, name, "in [0, 1)", value);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String owner, String name, String must, double value) {
        return new IllegalArgumentException(owner + ": " + name + " must be " + must + ", got " + value);
    }
}
