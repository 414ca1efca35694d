package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * 2-D convolution (strictly, cross-correlation, as in every deep-learning framework).
 *
 * <p>Input {@code x (N, C, H, W)}, output {@code (N, F, H', W')} with
 * {@code H' = (H + 2 * padding - kernel) / stride + 1} and the same for W'.
 * Parameters: weight {@code (F, C, kernel, kernel)}, bias {@code (F)}; they and the sizes are
 * fields of {@link ConvLayer}.
 * Cached by forward: the input x (backward needs it for dW).
 *
 * <p>Each output is one window of the input times the filter, plus the bias:
 * <pre>
 * out[n, f, i, j] = b[f] + sum over c, ki, kj of  x[n, c, i*stride + ki - padding, j*stride + kj - padding] * w[f, c, ki, kj]
 * </pre>
 * Positions outside the image (the padding) count as zeros.
 */
public class Conv2D extends ConvLayer {
    /** The input of the most recent forward, for backward. */
    private Tensor input;

    public Conv2D(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, new Random(Init.DEFAULT_SEED));
    }

    /** He-normal weights drawn from {@code rng}, zero bias. */
    public Conv2D(int inChannels, int outChannels, int kernel, int stride, int padding, Random rng) {
        super("Conv2D", inChannels, outChannels, kernel, stride, padding, false, rng);
    }

    /**
     * Slides each filter over every output position and sums the products with the window under it.
     * {@code x (N, C, H, W) -> (N, F, H', W')}; caches x.
     */
    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, inChannels);
        ShapeCheck.window(this, x, kernel, padding);
        this.input = x;
        if (usesEngine()) {
            return Engine.conv2d(x, weight.value(), bias.value(), stride, padding);
        }
        Tensor w = weight.value();
        Tensor out = Tensor.zeros(outputShape(x.shape()));
        int[] s = out.shape();
        for (int n = 0; n < s[0]; n++) {
            for (int f = 0; f < outChannels; f++) {
                for (int i = 0; i < s[2]; i++) {
                    for (int j = 0; j < s[3]; j++) {
                        double sum = bias.value().get(f);
                        for (int c = 0; c < inChannels; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                for (int kj = 0; kj < kernel; kj++) {
                                    sum += pixel(x, n, c, i * stride + ki - padding, j * stride + kj - padding)
                                            * w.get(f, c, ki, kj);
                                }
                            }
                        }
                        out.set(sum, n, f, i, j);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Each output (n, f, i, j) was a sum of x * w over one window plus the bias, so its gradient
     * g = dOut[n, f, i, j] flows back three ways: g * x into dW for that window, g * w into dX for
     * that window (adding up where windows overlap), and g into db[f].
     * {@code dOut (N, F, H', W') -> dX (N, C, H, W)}; adds into the weight and bias gradients.
     */
    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = requireForward(input);
        ShapeCheck.sameAs(this, "dOut", dOut, outputShape(x.shape()));
        if (usesEngine()) {
            return Engine.conv2dBackward(x, weight.value(), dOut, weight.grad(), bias.grad(), stride, padding,
                    inputGradientWanted());
        }
        Tensor w = weight.value();
        Tensor dx = Tensor.zeros(x.shape());
        int[] s = dOut.shape();
        for (int n = 0; n < s[0]; n++) {
            for (int f = 0; f < outChannels; f++) {
                for (int i = 0; i < s[2]; i++) {
                    for (int j = 0; j < s[3]; j++) {
                        double g = dOut.get(n, f, i, j);
                        bias.grad().addAt(g, f);
                        for (int c = 0; c < inChannels; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                for (int kj = 0; kj < kernel; kj++) {
                                    int row = i * stride + ki - padding;
                                    int col = j * stride + kj - padding;
                                    if (inside(x, row, col)) {
                                        weight.grad().addAt(g * x.get(n, c, row, col), f, c, ki, kj);
                                        dx.addAt(g * w.get(f, c, ki, kj), n, c, row, col);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** x[n, c, row, col], or 0 for a position in the padding around the image. */
    private static double pixel(Tensor x, int n, int c, int row, int col) {
        return inside(x, row, col) ? x.get(n, c, row, col) : 0.0;
    }

    /** Whether (row, col) lies inside the image rather than in its padding. */
    private static boolean inside(Tensor x, int row, int col) {
        return row >= 0 && row < x.dim(2) && col >= 0 && col < x.dim(3);
    }

    /** (N, C, H, W) -> (N, F, H', W'). */
    public int[] outputShape(int[] in) {
        return ShapeCheck.windowOutput(in, outChannels, kernel, stride, padding);
    }

    @Override
    public int minInputSize(int outputSize) {
        return ShapeCheck.windowInput(outputSize, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "Conv2D(" + inChannels + "->" + outChannels + ", kernel=" + kernel + ", stride=" + stride
                + ", padding=" + padding + ")";
    }
}
