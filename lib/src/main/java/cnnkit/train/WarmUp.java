package cnnkit.train;

import java.util.Objects;

/**
 * Linear warm-up before another schedule: for the first {@code epochs} epochs the rate climbs
 * in equal steps to the base rate, {@code lr(e) = baseLr * (e + 1) / (epochs + 1)}; from then on
 * {@code then} decides, counting its epochs from the end of the warm-up.
 *
 * <p>Early on the weights are random and the gradients large and badly aligned; an adaptive
 * optimizer's running averages have seen only a few batches. A few small steps first keep one
 * bad update from throwing the network into a region it never recovers from.
 */
public record WarmUp(int epochs, LearningRateSchedule then) implements LearningRateSchedule {
    public WarmUp {
        if (epochs <= 0) {
            throw new IllegalArgumentException("WarmUp: epochs must be positive, got " + epochs);
        }
        Objects.requireNonNull(then, "WarmUp: the schedule after the warm-up must not be null");
    }

    /** Warm up for {@code epochs} epochs, then keep the base rate. */
    public static WarmUp of(int epochs) {
        return new WarmUp(epochs, LearningRateSchedule.constant());
    }

    @Override
    public double lr(int epoch, double baseLr) {
        if (epoch < epochs) {
            return baseLr * (epoch + 1) / (epochs + 1);
        }
        return then.lr(epoch - epochs, baseLr);
    }

    @Override
    public String toString() {
        return "WarmUp(" + epochs + " epochs, then " + then + ")";
    }
}
