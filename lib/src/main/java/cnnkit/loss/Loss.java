package cnnkit.loss;

import cnnkit.tensor.Tensor;

/**
 * A loss: one number that says how far a batch of outputs is from its targets, and its gradient.
 *
 * <p>The contract, like a layer's: {@link #forward} returns the mean loss over the batch and caches
 * what {@link #backward} needs; {@link #backward} returns dL/dOutput for that forward, the gradient
 * a network's backward pass starts from.
 */
public interface Loss {
    /**
     * The mean loss of {@code output} against {@code target}, which has the output's shape (for
     * classification: one-hot rows, or any rows that sum to 1). Caches what backward needs.
     */
    double forward(Tensor output, Tensor target);

    /** dL/dOutput for the most recent forward, shaped like the output. */
    Tensor backward();

    /**
     * Whether the outputs are class scores, one row per sample, so that the largest one is a
     * predicted class and accuracy means something (true for cross-entropy, false for regression).
     */
    default boolean classifies() {
        return false;
    }
}
