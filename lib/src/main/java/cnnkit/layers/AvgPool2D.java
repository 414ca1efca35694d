package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Tensor;

/**
 * Average pooling: each output is the mean of its {@code kernel x kernel} window.
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H', W')}, {@code H' = (H - kernel) / stride + 1}, same for W'.
 * Cached by forward: only the input shape. Every input in a window contributed 1/(kernel*kernel),
 * so backward spreads {@code g / (kernel * kernel)} over the window, adding up where windows overlap.
 */
public class AvgPool2D extends Pool2D {

    public AvgPool2D(int kernel, int stride) {
        super(kernel, stride);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] shape = outputShape(x);
        if (usesEngine()) {
            return Engine.avgPool(x, kernel, stride);
        }
        Tensor out = Tensor.zeros(shape);
        int[] s = out.shape();
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int i = 0; i < s[2]; i++) {
                    for (int j = 0; j < s[3]; j++) {
                        double sum = 0;
                        for (int ki = 0; ki < kernel; ki++) {
                            for (int kj = 0; kj < kernel; kj++) {
                                sum += x.get(n, c, i * stride + ki, j * stride + kj);
                            }
                        }
                        out.set(sum / (kernel * kernel), n, c, i, j);
                    }
                }
            }
        }
        return out;
    }

    /** {@code dOut (N, C, H', W') -> dX (N, C, H, W)}: each input of a window gets g / (kernel * kernel). */
    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = checkBackward(dOut);
        if (usesEngine()) {
            return Engine.avgPoolBackward(dOut, in, kernel, stride);
        }
        Tensor dx = Tensor.zeros(in);
        int[] s = dOut.shape();
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int i = 0; i < s[2]; i++) {
                    for (int j = 0; j < s[3]; j++) {
                        double share = dOut.get(n, c, i, j) / (kernel * kernel);
                        for (int ki = 0; ki < kernel; ki++) {
                            for (int kj = 0; kj < kernel; kj++) {
                                dx.addAt(share, n, c, i * stride + ki, j * stride + kj);
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
