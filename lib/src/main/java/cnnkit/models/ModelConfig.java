package cnnkit.models;

import cnnkit.layers.Init;
import cnnkit.tensor.Shape;
import java.util.Random;

/**
 * What every model in the zoo is built from: the input it takes, the classes it predicts, how
 * wide it is and the seed all of its weights come from.
 *
 * <ul>
 *   <li>{@code inChannels}, {@code inputSize}: the model takes (N, inChannels, inputSize, inputSize);</li>
 *   <li>{@code numClasses}: the last layer outputs (N, numClasses) logits;</li>
 *   <li>{@code width}: multiplies every channel count and hidden-unit count of the architecture
 *       (1.0 gives the sizes each model's Javadoc lists; 0.25 gives a model about 16 times
 *       cheaper that trains in minutes on a laptop);</li>
 *   <li>{@code seed}: one {@code java.util.Random(seed)} draws every weight (and every dropout
 *       seed) in layer order, so the same config always gives the same network.</li>
 * </ul>
 *
 * <pre>{@code
 * ModelConfig cfg = ModelConfig.of(1, 28, 10).withWidth(0.25).withSeed(7);
 * }</pre>
 */
public record ModelConfig(int inChannels, int inputSize, int numClasses, double width, long seed) {

    public ModelConfig {
        if (inChannels <= 0 || inputSize <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("ModelConfig: inChannels, inputSize and numClasses must be positive,"
                    + " got inChannels=" + inChannels + " inputSize=" + inputSize + " numClasses=" + numClasses);
        }
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("ModelConfig: width must be a positive number, got " + width);
        }
    }

    /** Width 1.0 and seed {@link Init#DEFAULT_SEED}. */
    public static ModelConfig of(int inChannels, int inputSize, int numClasses) {
        return new ModelConfig(inChannels, inputSize, numClasses, 1.0, Init.DEFAULT_SEED);
    }

    public ModelConfig withWidth(double newWidth) {
        return new ModelConfig(inChannels, inputSize, numClasses, newWidth, seed);
    }

    public ModelConfig withSeed(long newSeed) {
        return new ModelConfig(inChannels, inputSize, numClasses, width, newSeed);
    }

    public ModelConfig withInputSize(int newSize) {
        return new ModelConfig(inChannels, newSize, numClasses, width, seed);
    }

    public ModelConfig withClasses(int newClasses) {
        return new ModelConfig(inChannels, inputSize, newClasses, width, seed);
    }

    /** {@code channels * width}, rounded, and at least 1. */
    public int scale(int channels) {
        return Math.max(1, (int) Math.round(channels * width));
    }

    /** The shape of one example: (inChannels, inputSize, inputSize). */
    public int[] inputShape() {
        return new int[] {inChannels, inputSize, inputSize};
    }

    /** A fresh generator for the weights: {@code new Random(seed)}. */
    public Random newRandom() {
        return new Random(seed);
    }

    @Override
    public String toString() {
        return "ModelConfig(input " + Shape.str(inputShape()) + ", classes=" + numClasses + ", width=" + width
                + ", seed=" + seed + ")";
    }
}
