package cnnkit.loss;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Softmax followed by cross-entropy, fused: {@code logits (N, K)} and labels -> mean loss.
 *
 * <p>{@code L = -(1/N) sum_n log softmax(z_n)[y_n]}. The fusion matters twice: the log-sum-exp
 * is computed after subtracting each row's maximum, so large logits cannot overflow; and the
 * gradient collapses to {@code dL/dz = (softmax(z) - onehot(y)) / N}, with no division by a
 * probability that may be tiny. Caches the probabilities and the targets for backward.
 */
public class SoftmaxCrossEntropy implements Loss {
    private Tensor probs;
    private Tensor targets;

    /** Mean loss for integer class labels, one per row of {@code logits}. */
    public double forward(Tensor logits, int[] labels) {
        int[] s = checkLogits(logits);
        if (labels.length != s[0]) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + labels.length + " labels for logits "
                    + Shape.str(s) + ", expected " + s[0]);
        }
        Tensor oneHot = Tensor.zeros(s);
        for (int n = 0; n < labels.length; n++) {
            if (labels[n] < 0 || labels[n] >= s[1]) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + labels[n] + " at row " + n
                        + " is outside 0.." + (s[1] - 1));
            }
            oneHot.data()[n * s[1] + labels[n]] = 1.0;
        }
        return forward(logits, oneHot);
    }

    /** Mean loss for target distributions (one-hot rows, or any rows that sum to 1), shape (N, K). */
    @Override
    public double forward(Tensor logits, Tensor targetDistribution) {
        int[] s = checkLogits(logits);
        if (!logits.sameShape(targetDistribution)) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: targets " + Shape.str(targetDistribution.shape())
                    + " must match logits " + Shape.str(s));
        }
        int n = s[0];
        int k = s[1];
        probs = Tensor.zeros(s);
        targets = targetDistribution;
        double[] z = logits.data();
        double[] p = probs.data();
        double[] t = targets.data();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                p[i * k + j] = Math.exp(z[i * k + j] - max);
                sum += p[i * k + j];
            }
            double logSum = Math.log(sum) + max;
            for (int j = 0; j < k; j++) {
                p[i * k + j] /= sum;
                if (t[i * k + j] != 0) {
                    loss -= t[i * k + j] * (z[i * k + j] - logSum);
                }
            }
        }
        return loss / n;
    }

    /** dL/dlogits = (softmax - targets) / N for the last forward. */
    @Override
    public Tensor backward() {
        if (probs == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy: backward called before forward");
        }
        return probs.sub(targets).mul(1.0 / probs.dim(0));
    }

    /** Logits are class scores: accuracy applies. */
    @Override
    public boolean classifies() {
        return true;
    }

    /** The softmax probabilities of the last forward, (N, K). */
    public Tensor probabilities() {
        return probs;
    }

    private static int[] checkLogits(Tensor logits) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: expected logits (N, K), got "
                    + Shape.str(logits.shape()));
        }
        if (logits.dim(0) == 0) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: empty batch, logits " + Shape.str(logits.shape())
                    + "; the mean loss over no samples is undefined (give at least one sample)");
        }
        return logits.shape();
    }
}
