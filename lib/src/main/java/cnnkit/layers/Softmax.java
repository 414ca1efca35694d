package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Softmax over the last axis: {@code x (N, K) -> s (N, K)}, {@code s_k = e^{x_k} / sum_j e^{x_j}}
 * for each row, so every row is a probability distribution. The row maximum is subtracted
 * before exponentiating (which leaves s unchanged) so that large logits cannot overflow.
 * Caches the output s.
 *
 * <p>Backward is the real Jacobian-vector product, per row
 * {@code dX = s * (g - sum_k g_k s_k)}. (Passing the gradient straight through would only be
 * right if the loss's own backward had already folded the softmax in.)
 * For training a classifier use {@link cnnkit.loss.SoftmaxCrossEntropy} on raw logits instead:
 * it is cheaper and more accurate. This layer is for producing probabilities, and for losses that
 * need them.
 */
public class Softmax extends Layer {
    private Tensor output;

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) == 0) {
            throw new IllegalArgumentException(this + ": expected input (N, K) with K >= 1, got " + Shape.str(x.shape()));
        }
        int n = x.dim(0);
        int k = x.dim(1);
        Tensor s = Tensor.zeros(n, k);
        double[] xd = x.data();
        double[] sd = s.data();
        for (int r = 0; r < n; r++) {
            int row = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, xd[row + j]);
            }
            double total = 0;
            for (int j = 0; j < k; j++) {
                sd[row + j] = Math.exp(xd[row + j] - max);
                total += sd[row + j];
            }
            for (int j = 0; j < k; j++) {
                sd[row + j] /= total;
            }
        }
        output = s;
        return s;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor s = requireForward(output);
        ShapeCheck.sameAs(this, "dOut", dOut, s.shape());
        int n = s.dim(0);
        int k = s.dim(1);
        Tensor dx = Tensor.zeros(n, k);
        double[] sd = s.data();
        double[] gd = dOut.data();
        double[] dd = dx.data();
        for (int r = 0; r < n; r++) {
            int row = r * k;
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += gd[row + j] * sd[row + j];
            }
            for (int j = 0; j < k; j++) {
                dd[row + j] = sd[row + j] * (gd[row + j] - dot);
            }
        }
        return dx;
    }
}
