package cnnkit.train;

import java.util.Locale;

/**
 * A model's results on a labelled dataset: mean loss, accuracy and the confusion matrix,
 * where {@code confusion[t][p]} counts samples of true class t predicted as class p.
 * The diagonal holds the correct predictions; row t sums to the number of samples of class t.
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

    /** The name of the dataset evaluated. */
    public String dataset() {
        return dataset;
    }

    /** Mean softmax cross-entropy over all samples. */
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
