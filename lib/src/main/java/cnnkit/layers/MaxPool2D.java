package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Max pooling: each output is the largest value in its {@code kernel x kernel} window.
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H', W')}, {@code H' = (H - kernel) / stride + 1}, same for W'.
 * Cached by forward: for every output, the flat index into x of the value that won (on a tie the
 * first in row-major window order wins). Backward sends each output gradient to that one
 * position only, adding up where overlapping windows (stride < kernel) pick the same input.
 */
public class MaxPool2D extends Pool2D {
    /** For each output (in row-major order), the flat index into x of its window's maximum. */
    private int[] argmax;

    public MaxPool2D(int kernel, int stride) {
        super(kernel, stride);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] shape = outputShape(x);
        this.argmax = new int[Shape.size(shape)];
        if (usesEngine()) {
            return Engine.maxPool(x, kernel, stride, argmax);
        }
        Tensor out = Tensor.zeros(shape);
        int[] s = out.shape();
        int o = 0; // outputs in row-major order
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int i = 0; i < s[2]; i++) {
                    for (int j = 0; j < s[3]; j++) {
                        int best = flatIndex(x, n, c, i * stride, j * stride);
                        for (int ki = 0; ki < kernel; ki++) {
                            for (int kj = 0; kj < kernel; kj++) {
                                int idx = flatIndex(x, n, c, i * stride + ki, j * stride + kj);
                                if (takesOver(x.data()[idx], x.data()[best])) {
                                    best = idx;
                                }
                            }
                        }
                        argmax[o] = best;
                        out.data()[o++] = x.data()[best];
                    }
                }
            }
        }
        return out;
    }

    /** Each output gradient goes to the input that won its window: {@code dOut (N, C, H', W') -> dX (N, C, H, W)}. */
    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = checkBackward(dOut);
        int[] winners = requireForward(argmax);
        if (usesEngine()) {
            return Engine.maxPoolBackward(dOut, in, winners);
        }
        Tensor dx = Tensor.zeros(in);
        for (int o = 0; o < dOut.size(); o++) {
            dx.data()[winners[o]] += dOut.data()[o];
        }
        return dx;
    }

    /**
     * Whether {@code value} replaces {@code best} as a window's maximum: strictly larger (an equal
     * later value does not take over), or NaN. A plain {@code >} would pass over a NaN and hide a
     * diverging run from the loss; here the first NaN in a window becomes its output.
     */
    static boolean takesOver(double value, double best) {
        return value > best || (Double.isNaN(value) && !Double.isNaN(best));
    }

    /** The position of x[n, c, row, col] in x's flat data array. */
    private static int flatIndex(Tensor x, int n, int c, int row, int col) {
        return ((n * x.dim(1) + c) * x.dim(2) + row) * x.dim(3) + col;
    }
}
