package cnnkit.layers;

import cnnkit.tensor.MatMul;
import cnnkit.tensor.Param;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * 2-D convolution (strictly, cross-correlation, as in every deep-learning framework).
 *
 * <p>{@code x (N, C, H, W) -> (N, F, H', W')} with
 * {@code H' = (H + 2 * padding - kernel) / stride + 1} and the same for W'.
 * Weight (F, C, kernel, kernel), bias (F). Caches the input for backward.
 *
 * <p>Two implementations compute the same numbers: {@link #forwardNaive}/{@link #backwardNaive},
 * plain loops that read like the formulas, and {@link #forwardIm2col}/{@link #backwardIm2col},
 * which unroll every window into a column and use one matrix multiply. {@link #forward} and
 * {@link #backward} use the fast one; the tests hold the two equal.
 */
public class Conv2D extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Param weight;
    private final Param bias;
    private Tensor input;

    public Conv2D(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, new Random(Init.DEFAULT_SEED));
    }

    /** He-normal weights drawn from {@code rng}, zero bias. */
    public Conv2D(int inChannels, int outChannels, int kernel, int stride, int padding, Random rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2D: need positive channels, kernel and stride and padding >= 0, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        int fanIn = inChannels * kernel * kernel;
        this.weight = new Param("weight", Init.heNormal(rng, fanIn, outChannels, inChannels, kernel, kernel));
        this.bias = new Param("bias", Tensor.zeros(outChannels));
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardIm2col(x);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return backwardIm2col(dOut);
    }

    /** The teaching version: slide the kernel over every output position and sum the products. */
    public Tensor forwardNaive(Tensor x) {
        Tensor out = prepareForward(x);
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = out.dim(2);
        int outW = out.dim(3);
        double[] xd = x.data();
        double[] wd = weight.value().data();
        double[] od = out.data();
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < outChannels; f++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double sum = bias.value().data()[f];
                        for (int c = 0; c < inChannels; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                int row = i * stride + ki - padding;
                                if (row < 0 || row >= h) {
                                    continue; // a zero from the padding
                                }
                                for (int kj = 0; kj < kernel; kj++) {
                                    int col = j * stride + kj - padding;
                                    if (col < 0 || col >= w) {
                                        continue;
                                    }
                                    sum += xd[((b * inChannels + c) * h + row) * w + col]
                                            * wd[((f * inChannels + c) * kernel + ki) * kernel + kj];
                                }
                            }
                        }
                        od[((b * outChannels + f) * outH + i) * outW + j] = sum;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The teaching version of backward. Each output (b, f, i, j) was a sum of x * w over one
     * window plus the bias, so its gradient g flows back as: g * x into dW for that window,
     * g * w into dX for that window, and g into db[f].
     */
    public Tensor backwardNaive(Tensor dOut) {
        Tensor x = cached(input, this);
        checkGrad(dOut);
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = dOut.dim(2);
        int outW = dOut.dim(3);
        double[] xd = x.data();
        double[] wd = weight.value().data();
        double[] dwd = weight.grad().data();
        double[] dbd = bias.grad().data();
        double[] god = dOut.data();
        Tensor dx = Tensor.zeros(x.shape());
        double[] dxd = dx.data();
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < outChannels; f++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double g = god[((b * outChannels + f) * outH + i) * outW + j];
                        dbd[f] += g;
                        for (int c = 0; c < inChannels; c++) {
                            for (int ki = 0; ki < kernel; ki++) {
                                int row = i * stride + ki - padding;
                                if (row < 0 || row >= h) {
                                    continue;
                                }
                                for (int kj = 0; kj < kernel; kj++) {
                                    int col = j * stride + kj - padding;
                                    if (col < 0 || col >= w) {
                                        continue;
                                    }
                                    int xi = ((b * inChannels + c) * h + row) * w + col;
                                    int wi = ((f * inChannels + c) * kernel + ki) * kernel + kj;
                                    dwd[wi] += g * xd[xi];
                                    dxd[xi] += g * wd[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** The fast version: per image, out (F, H'W') = W (F, C k k) x cols (C k k, H'W') + b. */
    public Tensor forwardIm2col(Tensor x) {
        Tensor out = prepareForward(x);
        Im2Col geometry = geometry(x);
        int n = x.dim(0);
        int positions = geometry.positions();
        double[] cols = new double[geometry.rows() * positions];
        double[] od = out.data();
        double[] bd = bias.value().data();
        double[] plane = new double[outChannels * positions];
        for (int b = 0; b < n; b++) {
            geometry.im2col(x.data(), b, cols);
            MatMul.multiply(weight.value().data(), cols, plane, outChannels, geometry.rows(), positions);
            int base = b * outChannels * positions;
            for (int f = 0; f < outChannels; f++) {
                for (int p = 0; p < positions; p++) {
                    od[base + f * positions + p] = plane[f * positions + p] + bd[f];
                }
            }
        }
        return out;
    }

    /** The fast backward: dW += dOut x cols^T, dCols = W^T x dOut, then dCols folds back into dX. */
    public Tensor backwardIm2col(Tensor dOut) {
        Tensor x = cached(input, this);
        checkGrad(dOut);
        Im2Col geometry = geometry(x);
        int n = x.dim(0);
        int positions = geometry.positions();
        int rows = geometry.rows();
        double[] cols = new double[rows * positions];
        double[] dCols = new double[rows * positions];
        double[] gPlane = new double[outChannels * positions];
        double[] dbd = bias.grad().data();
        Tensor dx = Tensor.zeros(x.shape());
        for (int b = 0; b < n; b++) {
            System.arraycopy(dOut.data(), b * outChannels * positions, gPlane, 0, gPlane.length);
            for (int f = 0; f < outChannels; f++) {
                for (int p = 0; p < positions; p++) {
                    dbd[f] += gPlane[f * positions + p];
                }
            }
            geometry.im2col(x.data(), b, cols);
            MatMul.multiplyTransBAdd(gPlane, cols, weight.grad().data(), outChannels, positions, rows);
            java.util.Arrays.fill(dCols, 0.0);
            MatMul.multiplyTransAAdd(weight.value().data(), gPlane, dCols, rows, outChannels, positions);
            geometry.col2imAdd(dCols, b, dx.data());
        }
        return dx;
    }

    private Tensor prepareForward(Tensor x) {
        ShapeCheck.image(this, x, inChannels);
        ShapeCheck.window(this, x, kernel, padding);
        input = x;
        return Tensor.zeros(outputShape(x.shape()));
    }

    private void checkGrad(Tensor dOut) {
        ShapeCheck.sameAs(this, "dOut", dOut, outputShape(input.shape()));
    }

    private Im2Col geometry(Tensor x) {
        return new Im2Col(inChannels, x.dim(2), x.dim(3), kernel, stride, padding);
    }

    /** (N, C, H, W) -> (N, F, H', W'). */
    public int[] outputShape(int[] in) {
        return new int[] {in[0], outChannels, Shape.convOut(in[2], kernel, stride, padding),
            Shape.convOut(in[3], kernel, stride, padding)};
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public String toString() {
        return "Conv2D(" + inChannels + "->" + outChannels + ", kernel=" + kernel + ", stride=" + stride
                + ", padding=" + padding + ")";
    }
}
