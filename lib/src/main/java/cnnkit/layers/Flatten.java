package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * {@code x (N, C, H, W) -> (N, C * H * W)}, keeping row-major order so that feature
 * {@code (c, h, w)} lands at column {@code (c * H + h) * W + w}. Caches the input shape;
 * backward reshapes the gradient back.
 */
public class Flatten extends Layer {
    private int[] inputShape;

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(this + ": expected input (N, ...), got rank " + x.rank());
        }
        inputShape = x.shape();
        return x.reshape(x.dim(0), -1);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] shape = cached(inputShape, this);
        int features = dOut.size() / Math.max(1, shape[0]);
        ShapeCheck.sameAs(this, "dOut", dOut, new int[] {shape[0], features});
        return dOut.copy().reshape(shape);
    }
}
