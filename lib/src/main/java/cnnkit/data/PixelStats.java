package cnnkit.data;

import java.util.Arrays;

/**
 * Per-channel pixel mean and population standard deviation of a {@link Dataset}, e.g. MNIST's
 * training set scaled to [0, 1] has mean about 0.1307 and std about 0.3081. Compute them on the
 * training split and pass the same object to {@link Dataset#normalised(PixelStats)} for both train
 * and test, so the test set is never peeked at.
 *
 * @param mean one value per channel C
 * @param std  one value per channel C
 */
public record PixelStats(double[] mean, double[] std) {
    public PixelStats {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("PixelStats: " + mean.length + " means but " + std.length + " stds");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    @Override
    public String toString() {
        return "PixelStats(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
