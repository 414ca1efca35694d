package cnnkit.engine;

import cnnkit.tensor.Tensor;

/**
 * The fast implementations behind the layers: the one door from the teaching code in
 * {@code cnnkit.layers} to the speed in this package.
 *
 * <p>A layer writes its forward and backward like the formulas and, when the engine is on,
 * hands the same computation to one of the methods below instead. They compute the same numbers
 * (the tests hold every one equal to the layer's teaching loops), only faster:
 * <ul>
 *   <li>convolution as matrix products over unrolled windows ({@link Im2Col}, {@link MatMul});</li>
 *   <li>a blocked, vectorisable matrix multiply ({@link MatMul}) for fully connected layers;</li>
 *   <li>work spread over the cores ({@link Parallel}) with per-thread scratch buffers ({@link RowBuffer});</li>
 *   <li>pooling with the 2x2 case written out, and tanh from plain arithmetic ({@link FastTanh}).</li>
 * </ul>
 * Every result is the same bits on any number of cores.
 *
 * <p>The engine is on by default. {@link #setEnabled(boolean) Engine.setEnabled(false)} makes
 * every layer run its teaching loops (for one layer: {@code layer.useEngine(false)}), so that a
 * notebook can time both; the system property {@code -Dcnnkit.engine=false} starts with it off.
 */
public final class Engine {
    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("cnnkit.engine"));

    private Engine() {
    }

    /** Whether layers without a setting of their own use the engine. */
    public static boolean enabled() {
        return enabled;
    }

    /** Switches the engine on or off for every layer without a setting of its own. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    // ---- convolution: x (N, C, H, W), weight (F, C, k, k), bias (F) ----

    /** {@code out[n, f, i, j] = b[f] + sum_{c, ki, kj} x[n, c, i s + ki - p, j s + kj - p] w[f, c, ki, kj]}, (N, F, H', W'). */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return FastConv2D.forward(x, weight, bias, stride, padding);
    }

    /**
     * Adds dL/dW into {@code dWeight} and dL/db into {@code dBias}; returns dL/dX, or null when
     * {@code inputGradient} is false (then that third of the work is skipped).
     */
    public static Tensor conv2dBackward(Tensor x, Tensor weight, Tensor dOut, Tensor dWeight, Tensor dBias,
            int stride, int padding, boolean inputGradient) {
        return FastConv2D.backward(x, weight, dOut, dWeight, dBias, stride, padding, inputGradient);
    }

    // ---- fully connected: x (N, in), weight (in, out), bias (out) ----

    /** x W + b, (N, out). */
    public static Tensor dense(Tensor x, Tensor weight, Tensor bias) {
        int n = x.dim(0);
        int in = weight.dim(0);
        int out = weight.dim(1);
        Tensor y = Tensor.zeros(n, out);
        MatMul.multiply(x.data(), weight.data(), y.data(), n, in, out);
        double[] yd = y.data();
        double[] bd = bias.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                yd[i * out + j] += bd[j];
            }
        }
        return y;
    }

    /** Adds x^T dOut into {@code dWeight} and the column sums of dOut into {@code dBias}; returns dOut W^T. */
    public static Tensor denseBackward(Tensor x, Tensor weight, Tensor dOut, Tensor dWeight, Tensor dBias) {
        int n = x.dim(0);
        int in = weight.dim(0);
        int out = weight.dim(1);
        MatMul.multiplyTransAAdd(x.data(), dOut.data(), dWeight.data(), in, n, out);
        double[] gd = dOut.data();
        double[] dbd = dBias.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                dbd[j] += gd[i * out + j];
            }
        }
        Tensor dx = Tensor.zeros(n, in);
        MatMul.multiplyTransBAdd(dOut.data(), weight.data(), dx.data(), n, out, in);
        return dx;
    }

    // ---- element-wise, any shape ----

    /** Elements per parallel task of the element-wise loops. */
    private static final int GRAIN = 1 << 14;

    /** max(0, x); a NaN stays NaN. */
    public static Tensor relu(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        double[] xd = x.data();
        double[] yd = y.data();
        Parallel.forRange(xd.length, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                yd[i] = Math.max(xd[i], 0.0);
            }
        });
        return y;
    }

    /** dOut where x > 0, else 0. */
    public static Tensor reluBackward(Tensor x, Tensor dOut) {
        Tensor dx = Tensor.zeros(x.shape());
        double[] xd = x.data();
        double[] gd = dOut.data();
        double[] dd = dx.data();
        Parallel.forRange(xd.length, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                dd[i] = xd[i] > 0 ? gd[i] : 0.0;
            }
        });
        return dx;
    }

    /** tanh(x) by {@link FastTanh}, within about 1e-15 of {@code Math.tanh}. */
    public static Tensor tanh(Tensor x) {
        Tensor y = Tensor.zeros(x.shape());
        FastTanh.apply(x.data(), y.data());
        return y;
    }

    /** dOut (1 - y^2) for the output y of tanh. */
    public static Tensor tanhBackward(Tensor y, Tensor dOut) {
        Tensor dx = Tensor.zeros(y.shape());
        double[] yd = y.data();
        double[] gd = dOut.data();
        double[] dd = dx.data();
        Parallel.forRange(yd.length, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                dd[i] = gd[i] * (1 - yd[i] * yd[i]);
            }
        });
        return dx;
    }

    // ---- pooling without padding: x (N, C, H, W) -> (N, C, H', W') ----

    /** Max over each window; writes into {@code argmax} (one per output) the flat index of x that won. */
    public static Tensor maxPool(Tensor x, int kernel, int stride, int[] argmax) {
        return FastPool2D.maxPool(x, kernel, stride, argmax);
    }

    /** Sends each output gradient to the input that won its window. */
    public static Tensor maxPoolBackward(Tensor dOut, int[] inputShape, int[] argmax) {
        return FastPool2D.maxPoolBackward(dOut, inputShape, argmax);
    }

    /** Mean over each window. */
    public static Tensor avgPool(Tensor x, int kernel, int stride) {
        return FastPool2D.avgPool(x, kernel, stride);
    }

    /** Spreads each output gradient evenly over its window. */
    public static Tensor avgPoolBackward(Tensor dOut, int[] inputShape, int kernel, int stride) {
        return FastPool2D.avgPoolBackward(dOut, inputShape, kernel, stride);
    }
}
