package cnnkit.train;

import cnnkit.data.Dataset;
import cnnkit.layers.Layer;
import cnnkit.loss.Loss;
import cnnkit.loss.SoftmaxCrossEntropy;
import cnnkit.tensor.Shape;
import java.util.Locale;

/**
 * A model's results on a labelled dataset: mean loss, accuracy and the confusion matrix,
 * where {@code confusion[t][p]} counts samples of true class t predicted as class p.
 * The diagonal holds the correct predictions; row t sums to the number of samples of class t.
 *
 * <pre>{@code
 * Evaluation ev = Evaluation.of(model, testSet);
 * System.out.println(ev);          // accuracy, loss and the confusion matrix
 * }</pre>
 * The model runs in inference mode ({@link Layer#eval()}), and is switched back to training mode
 * afterwards if it was training.
 */
public final class Evaluation {
    private final String dataset;
    private final double loss;
    private final int[][] confusion;

    Evaluation(String dataset, double loss, int[][] confusion) {
        this.dataset = dataset;
        this.loss = loss;
        this.confusion = confusion;
    }

    /** Accuracy, softmax cross-entropy and confusion matrix of {@code model} on {@code data}. */
    public static Evaluation of(Layer model, Dataset data) {
        return of(model, data, new SoftmaxCrossEntropy(), Inference.BATCH_SIZE);
    }

    /** Like {@link #of(Layer, Dataset)} with {@code batchSize} samples per forward pass (memory only, not results). */
    public static Evaluation of(Layer model, Dataset data, int batchSize) {
        return of(model, data, new SoftmaxCrossEntropy(), batchSize);
    }

    /**
     * The mean of {@code loss} (against one-hot targets) and, the outputs being read as class
     * scores, the confusion matrix of {@code model} on {@code data}.
     */
    public static Evaluation of(Layer model, Dataset data, Loss loss, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("Evaluation: batch size must be positive, got " + batchSize);
        }
        int k = data.numClasses();
        int[][] confusion = new int[k][k];
        double[] lossSum = {0};
        Inference.run(model, data, batchSize, (b, out) -> {
            if (out.dim(1) != k) {
                throw new IllegalArgumentException("Evaluation: the model returned " + Shape.str(out.shape()) + " for '"
                        + data.name() + "', expected " + Shape.str(b.size(), k) + " (one score per class)");
            }
            lossSum[0] += loss.forward(out, b.yOneHot(k)) * b.size();
            int[] predicted = Prediction.argmaxRows(out);
            for (int i = 0; i < predicted.length; i++) {
                confusion[b.y()[i]][predicted[i]]++;
            }
        });
        return new Evaluation(data.name(), data.size() == 0 ? Double.NaN : lossSum[0] / data.size(), confusion);
    }

    /** The name of the dataset evaluated. */
    public String dataset() {
        return dataset;
    }

    /** Mean loss over all samples (softmax cross-entropy unless another loss was given). */
    public double loss() {
        return loss;
    }

    public int numClasses() {
        return confusion.length;
    }

    public int total() {
        int n = 0;
        for (int[] row : confusion) {
            for (int c : row) {
                n += c;
            }
        }
        return n;
    }

    public int correct() {
        int n = 0;
        for (int k = 0; k < confusion.length; k++) {
            n += confusion[k][k];
        }
        return n;
    }

    /** Fraction classified correctly, 0..1 (NaN for an empty dataset). */
    public double accuracy() {
        int total = total();
        return total == 0 ? Double.NaN : (double) correct() / total;
    }

    /** A copy of the confusion matrix, rows = true class, columns = predicted class. */
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int k = 0; k < copy.length; k++) {
            copy[k] = confusion[k].clone();
        }
        return copy;
    }

    /** Per class, the fraction of its samples classified correctly (recall); NaN for an absent class. */
    public double[] classAccuracy() {
        double[] acc = new double[confusion.length];
        for (int t = 0; t < acc.length; t++) {
            int rowSum = 0;
            for (int c : confusion[t]) {
                rowSum += c;
            }
            acc[t] = rowSum == 0 ? Double.NaN : (double) confusion[t][t] / rowSum;
        }
        return acc;
    }

    /** Accuracy, loss and the confusion matrix as a table. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: accuracy %.2f%% (%d/%d), loss %.4f%n", dataset, 100 * accuracy(),
                correct(), total(), loss));
        int width = Math.max(4, String.valueOf(maxCount()).length() + 1);
        sb.append("true\\pred");
        for (int p = 0; p < confusion.length; p++) {
            sb.append(String.format("%" + width + "d", p));
        }
        sb.append(String.format("%9s%n", "acc"));
        double[] acc = classAccuracy();
        for (int t = 0; t < confusion.length; t++) {
            sb.append(String.format("%9d", t));
            for (int c : confusion[t]) {
                sb.append(String.format("%" + width + "d", c));
            }
            sb.append(String.format(Locale.ROOT, "%8.1f%%%n", 100 * acc[t]));
        }
        return sb.toString();
    }

    private int maxCount() {
        int m = 0;
        for (int[] row : confusion) {
            for (int c : row) {
                m = Math.max(m, c);
            }
        }
        return m;
    }
}
