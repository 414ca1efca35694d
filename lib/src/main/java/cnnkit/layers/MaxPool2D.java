package cnnkit.layers;

import cnnkit.tensor.Parallel;
import cnnkit.tensor.Tensor;

/**
 * Max pooling: each output is the largest value in its {@code kernel x kernel} window.
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H', W')}, {@code H' = (H - kernel) / stride + 1}, same for W'.
 * Caches, for every output, the flat index into x of the value that won (on a tie the first in
 * row-major window order wins). Backward sends each output gradient to that one position only,
 * adding up where overlapping windows (stride < kernel) pick the same input.
 */
public class MaxPool2D extends Pool2D {
    private int[] argmax;

    public MaxPool2D(int kernel, int stride) {
        super(kernel, stride);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Tensor.zeros(outputShape(x));
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = out.dim(2);
        int outW = out.dim(3);
        int planes = x.dim(0) * x.dim(1);
        double[] xd = x.data();
        double[] od = out.data();
        int[] best = new int[od.length];
        // Planes (one channel of one image) are independent: spread them over the cores.
        Parallel.forRange(planes, PLANES_PER_TASK, (first, end) -> {
            int o = first * outH * outW;
            for (int p = first; p < end; p++) {
                int base = p * h * w;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        int arg = windowArgmax(xd, base, w, i * stride, j * stride);
                        best[o] = arg;
                        od[o++] = xd[arg];
                    }
                }
            }
        });
        argmax = best;
        return out;
    }

    /**
     * Whether {@code value} replaces {@code best} as a window's maximum: strictly larger (an equal
     * later value does not take over), or NaN. A plain {@code >} would pass over a NaN and hide a
     * diverging run from the loss; here the first NaN in a window becomes its output.
     */
    static boolean takesOver(double value, double best) {
        return value > best || (Double.isNaN(value) && !Double.isNaN(best));
    }

    /** Flat index of the first largest value in the window whose top-left corner is (row, col). */
    private int windowArgmax(double[] xd, int base, int w, int row, int col) {
        int arg = base + row * w + col;
        for (int ki = 0; ki < kernel; ki++) {
            for (int kj = 0; kj < kernel; kj++) {
                int idx = base + (row + ki) * w + col + kj;
                if (takesOver(xd[idx], xd[arg])) {
                    arg = idx;
                }
            }
        }
        return arg;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = checkBackward(dOut);
        int[] arg = cached(argmax, this);
        Tensor dx = Tensor.zeros(in);
        double[] dd = dx.data();
        double[] gd = dOut.data();
        // Every output's winner lies in the output's own plane, so whole planes can go to different cores.
        int perPlane = dOut.dim(2) * dOut.dim(3);
        Parallel.forRange(in[0] * in[1], PLANES_PER_TASK, (first, end) -> {
            for (int o = first * perPlane; o < end * perPlane; o++) {
                dd[arg[o]] += gd[o];
            }
        });
        return dx;
    }
}
