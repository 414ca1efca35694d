package cnnkit.layers;

import cnnkit.tensor.Parallel;
import cnnkit.tensor.Tensor;

/**
 * Rectified linear unit, element-wise {@code max(0, x)}; any shape in, same shape out.
 * Caches the input; backward passes the gradient where x > 0 and blocks it elsewhere
 * (at exactly 0 the gradient is taken as 0). A NaN input stays NaN, so divergence reaches the loss.
 */
public class ReLU extends Layer {
    private Tensor input;

    @Override
    public Tensor forward(Tensor x) {
        input = x;
        // A plain loop rather than x.map(lambda), which the JIT cannot inline; large tensors are split over the cores.
        Tensor y = Tensor.zeros(x.shape());
        double[] xd = x.data();
        double[] yd = y.data();
        Parallel.forRange(xd.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                yd[i] = Math.max(xd[i], 0.0); // unlike x > 0 ? x : 0, keeps a NaN visible to the loss
            }
        });
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = cached(input, this);
        ShapeCheck.sameAs(this, "dOut", dOut, x.shape());
        Tensor dx = Tensor.zeros(x.shape());
        double[] xd = x.data();
        double[] gd = dOut.data();
        double[] dd = dx.data();
        Parallel.forRange(xd.length, 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                dd[i] = xd[i] > 0 ? gd[i] : 0.0;
            }
        });
        return dx;
    }
}
