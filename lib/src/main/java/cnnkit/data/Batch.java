package cnnkit.data;

import cnnkit.tensor.Tensor;

/** One mini-batch: images {@code x (B, C, H, W)} and their integer labels {@code y (B)}. */
public record Batch(Tensor x, int[] y) {
    public int size() {
        return y.length;
    }

    /** The labels as a one-hot {@code (B, numClasses)} tensor, for losses that take targets. */
    public Tensor yOneHot(int numClasses) {
        return Dataset.oneHot(y, numClasses);
    }
}
