package cnnkit.train;

import cnnkit.layers.Softmax;
import cnnkit.tensor.Tensor;

/**
 * A model's predictions for N samples: the class probabilities (softmax of the logits),
 * shape (N, K), and the most probable class of each sample (ties go to the lower class).
 */
public final class Prediction {
    private final Tensor probabilities;
    private final int[] labels;

    Prediction(Tensor probabilities) {
        this.probabilities = probabilities;
        this.labels = argmaxRows(probabilities);
    }

    /** Turns logits (N, K) into probabilities with a numerically stable softmax. */
    static Prediction fromLogits(Tensor logits) {
        return new Prediction(new Softmax().forward(logits));
    }

    static int[] argmaxRows(Tensor scores) {
        int n = scores.dim(0);
        int k = scores.dim(1);
        double[] s = scores.data();
        int[] best = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < k; j++) {
                if (s[i * k + j] > s[i * k + best[i]]) {
                    best[i] = j;
                }
            }
        }
        return best;
    }

    public int size() {
        return labels.length;
    }

    /** The predicted class of each sample. */
    public int[] labels() {
        return labels.clone();
    }

    public int label(int i) {
        return labels[i];
    }

    /** Class probabilities (N, K); each row sums to 1. */
    public Tensor probabilities() {
        return probabilities;
    }

    /** The probability of the predicted class of sample {@code i}. */
    public double confidence(int i) {
        return probabilities.data()[i * probabilities.dim(1) + labels[i]];
    }

    @Override
    public String toString() {
        return "Prediction(" + size() + " samples, " + probabilities.dim(1) + " classes)";
    }
}
