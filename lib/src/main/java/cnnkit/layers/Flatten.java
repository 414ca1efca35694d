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
        int[] shape = requireForward(inputShape);
        // Features from the cached input, not from dOut, so a dOut of the wrong size is caught here.
        int features = 1;
        for (int i = 1; i < shape.length; i++) {
            features *= shape[i];
        }
        ShapeCheck.sameAs(this, "dOut", dOut, new int[] {shape[0], features});
        return dOut.copy().reshape(shape);
    }

    /** Any input size will do: the spatial size ends here. */
    @Override
    public int minInputSize(int outputSize) {
        return 1;
    }
}
