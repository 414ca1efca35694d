package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * Transposed convolution ("deconvolution", learned upsampling): the backward pass of a
 * {@link Conv2D} with respect to its input, used as a forward pass.
 *
 * <p>Shapes: input x (N, C, H, W), weight (C, F, kernel, kernel) (input channels first, as
 * PyTorch stores it), bias (F), output (N, F, H', W') with
 * {@code H' = (H - 1) * stride - 2 * padding + kernel} (likewise W'). This is exactly the input
 * size of a {@code Conv2D(F, C, kernel, stride, padding)} that maps (F, H', W') back to (C, H, W).
 *
 * <p>Forward scatters: every input value x[n, c, i, j] adds {@code x * weight[c, f, p, q]} into
 * output position (i * stride + p - padding, j * stride + q - padding) of every channel f, for
 * all kernel offsets p, q; positions that fall outside the output (cut off by the padding) are
 * dropped. Then the bias is added.
 *
 * <p>Backward gathers along the same paths: dX[n, c, i, j] = sum over f, p, q of
 * dOut[n, f, i * stride + p - padding, j * stride + q - padding] * weight[c, f, p, q], which is an
 * ordinary strided convolution of dOut; dW[c, f, p, q] adds x[n, c, i, j] times the same dOut
 * value; db[f] adds the sum of dOut over n, i, j. Caches the input. The sizes, weight and bias
 * are fields of {@link ConvLayer}.
 */
public class ConvTranspose2D extends ConvLayer {
    /** The input of the most recent forward, for backward. */
    private Tensor input;

    public ConvTranspose2D(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, new Random(Init.DEFAULT_SEED));
    }

    /** He-normal weights drawn from {@code rng} (fan-in: the C k k values that reach one output), zero bias. */
    public ConvTranspose2D(int inChannels, int outChannels, int kernel, int stride, int padding, Random rng) {
        super("ConvTranspose2D", inChannels, outChannels, kernel, stride, padding, true, rng);
    }

    /** The output size along one axis: {@code (size - 1) * stride - 2 * padding + kernel}. */
    public int outputSize(int size) {
        return (size - 1) * stride - 2 * padding + kernel;
    }

    /** x (N, C, H, W) -> (N, F, H', W'); caches x. */
    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, inChannels);
        int n = x.dim(0), h = x.dim(2), w = x.dim(3);
        int outH = outputSize(h), outW = outputSize(w);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(this + ": input " + Shape.str(x.shape())
                    + " gives an empty output " + outH + "x" + outW);
        }
        input = x;
        Tensor out = Tensor.zeros(n, outChannels, outH, outW);
        Tensor wt = weight.value();
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < inChannels; c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double v = x.get(b, c, i, j);
                        for (int f = 0; f < outChannels; f++) {
                            for (int p = 0; p < kernel; p++) {
                                int row = i * stride + p - padding;
                                if (row < 0 || row >= outH) {
                                    continue; // cut off by the padding
                                }
                                for (int q = 0; q < kernel; q++) {
                                    int col = j * stride + q - padding;
                                    if (col >= 0 && col < outW) {
                                        out.set(out.get(b, f, row, col) + v * wt.get(c, f, p, q), b, f, row, col);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        addBias(out);
        return out;
    }

    /** dOut (N, F, H', W') -> dX (N, C, H, W); adds into dW (C, F, k, k) and db (F). */
    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = requireForward(input);
        int n = x.dim(0), h = x.dim(2), w = x.dim(3);
        int outH = outputSize(h), outW = outputSize(w);
        ShapeCheck.sameAs(this, "dOut", dOut, new int[] {n, outChannels, outH, outW});
        Tensor wt = weight.value();
        Tensor dW = weight.grad();
        Tensor dx = Tensor.zeros(x.shape());
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < inChannels; c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double xv = x.get(b, c, i, j);
                        double sum = 0;
                        for (int f = 0; f < outChannels; f++) {
                            for (int p = 0; p < kernel; p++) {
                                int row = i * stride + p - padding;
                                if (row < 0 || row >= outH) {
                                    continue;
                                }
                                for (int q = 0; q < kernel; q++) {
                                    int col = j * stride + q - padding;
                                    if (col >= 0 && col < outW) {
                                        double g = dOut.get(b, f, row, col);
                                        sum += g * wt.get(c, f, p, q);
                                        dW.set(dW.get(c, f, p, q) + g * xv, c, f, p, q);
                                    }
                                }
                            }
                        }
                        dx.set(sum, b, c, i, j);
                    }
                }
            }
        }
        addBiasGradient(dOut);
        return dx;
    }

    private void addBias(Tensor out) {
        double[] bd = bias.value().data();
        double[] od = out.data();
        int plane = out.dim(2) * out.dim(3);
        for (int idx = 0; idx < od.length; idx++) {
            od[idx] += bd[(idx / plane) % outChannels];
        }
    }

    private void addBiasGradient(Tensor dOut) {
        double[] dbd = bias.grad().data();
        double[] gd = dOut.data();
        int plane = dOut.dim(2) * dOut.dim(3);
        for (int idx = 0; idx < gd.length; idx++) {
            dbd[(idx / plane) % outChannels] += gd[idx];
        }
    }

    @Override
    public String toString() {
        return "ConvTranspose2D(" + inChannels + "->" + outChannels + ", " + kernel + "x" + kernel
                + ", stride " + stride + ", padding " + padding + ")";
    }
}
