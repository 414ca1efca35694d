package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * What max and average pooling share: a square window of {@code kernel} sliding with
 * {@code stride}, no padding, applied to each channel on its own.
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H', W')} with {@code H' = (H - kernel) / stride + 1}
 * (floored, so a last partial window is dropped) and the same for W'. Pooling has no parameters.
 */
public abstract class Pool2D extends Layer {
    protected final int kernel;
    protected final int stride;
    /** The shape of the most recent input, for backward. */
    protected int[] inputShape;

    protected Pool2D(int kernel, int stride) {
        if (kernel <= 0 || stride <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": kernel and stride must be positive, got kernel=" + kernel + " stride=" + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    /** Checks an (N, C, H, W) input the window fits into, caches its shape and returns (N, C, H', W'). */
    protected int[] outputShape(Tensor x) {
        ShapeCheck.image(this, x, -1);
        ShapeCheck.window(this, x, kernel, 0);
        inputShape = x.shape();
        return ShapeCheck.windowOutput(inputShape, x.dim(1), kernel, stride, 0);
    }

    /** Checks dOut against the output of the most recent forward and returns that input's shape. */
    protected int[] checkBackward(Tensor dOut) {
        int[] in = requireForward(inputShape);
        ShapeCheck.sameAs(this, "dOut", dOut, ShapeCheck.windowOutput(in, in[1], kernel, stride, 0));
        return in;
    }

    @Override
    public int minInputSize(int outputSize) {
        return ShapeCheck.windowInput(outputSize, kernel, stride, 0);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(kernel=" + kernel + ", stride=" + stride + ")";
    }
}
