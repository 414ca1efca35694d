package cnnkit.train;

/**
 * Step decay: the rate is multiplied by {@code factor} every {@code step} epochs,
 * {@code lr(epoch) = baseLr * factor^floor(epoch / step)}.
 * With {@code every(5, 0.5)} epochs 0-4 use the base rate, 5-9 half of it, 10-14 a quarter.
 */
public record StepDecay(int step, double factor) implements LearningRateSchedule {
    public StepDecay {
        if (step <= 0 || !(factor > 0) || factor > 1) {
            throw new IllegalArgumentException("StepDecay: need step > 0 and 0 < factor <= 1, got step=" + step
                    + " factor=" + factor);
        }
    }

    public static StepDecay every(int step, double factor) {
        return new StepDecay(step, factor);
    }

    @Override
    public double lr(int epoch, double baseLr) {
        return baseLr * Math.pow(factor, epoch / step);
    }

    @Override
    public String toString() {
        return "StepDecay(every " + step + " epochs x" + factor + ")";
    }
}
