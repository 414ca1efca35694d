package cnnkit.train;

/**
 * Cosine decay: the rate falls from the base rate to {@code minFraction * baseLr} along half a
 * cosine over {@code epochs} epochs, and stays there afterwards:
 * <pre>
 *   lr(e) = min + (baseLr - min) * (1 + cos(pi * e / epochs)) / 2,   min = minFraction * baseLr
 * </pre>
 * It starts flat (the rate stays near the base for the first epochs), falls fastest in the middle
 * and flattens again at the end, with no sudden drops as in {@link StepDecay}.
 */
public record CosineDecay(int epochs, double minFraction) implements LearningRateSchedule {
    public CosineDecay {
        if (epochs <= 0 || !(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("CosineDecay: need epochs > 0 and 0 <= minFraction <= 1, got epochs="
                    + epochs + " minFraction=" + minFraction);
        }
    }

    /** From the base rate down to 0 at epoch {@code epochs}. */
    public static CosineDecay over(int epochs) {
        return new CosineDecay(epochs, 0.0);
    }

    @Override
    public double lr(int epoch, double baseLr) {
        double min = minFraction * baseLr;
        double t = Math.min(epoch, epochs) / (double) epochs;
        return min + (baseLr - min) * (1 + Math.cos(Math.PI * t)) / 2;
    }

    @Override
    public String toString() {
        return "CosineDecay(over " + epochs + " epochs to x" + minFraction + ")";
    }
}
