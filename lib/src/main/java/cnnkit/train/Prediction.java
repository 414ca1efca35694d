package cnnkit.train;

import cnnkit.data.Dataset;
import cnnkit.layers.Layer;
import cnnkit.layers.Softmax;
import cnnkit.tensor.Shape;
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

    /** Predicted labels and class probabilities for every sample of {@code data}, in order. */
    public static Prediction of(Layer model, Dataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("Prediction: dataset '" + data.name() + "' is empty");
        }
        double[][] rows = new double[data.size()][];
        int[] next = {0};
        Inference.run(model, data, Inference.BATCH_SIZE, (b, out) -> {
            int k = out.dim(1);
            for (int i = 0; i < b.size(); i++) {
                rows[next[0]++] = java.util.Arrays.copyOfRange(out.data(), i * k, (i + 1) * k);
            }
        });
        return fromLogits(Tensor.of(rows));
    }

    /** Predictions for images {@code x (N, C, H, W)}, or for one image {@code (C, H, W)}, in mini-batches. */
    public static Prediction of(Layer model, Tensor x) {
        Tensor images = x.rank() == 3 ? x.reshape(1, x.dim(0), x.dim(1), x.dim(2)) : x;
        if (images.rank() != 4 || images.dim(0) == 0) {
            throw new IllegalArgumentException("Prediction: expected images (N, C, H, W) with N > 0 or one image (C, H, W),"
                    + " got " + Shape.str(x.shape()));
        }
        return fromLogits(Inference.outputs(model, images, Inference.BATCH_SIZE));
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
