package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Max pooling with padding, as the pool branch of an {@link InceptionModule} needs
 * (3x3, stride 1, padding 1 keeps H and W unchanged so the branches can be concatenated).
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H', W')} with {@code H' = (H + 2 * padding - kernel) / stride + 1},
 * the same for W'. The border is padded with minus infinity, not zero: a padded position can
 * never win, so the output is the maximum over the real pixels the window covers. (Padding with
 * zeros, as is easy to do by padding the input array, is wrong whenever a window holds only
 * negative values: the phantom 0 would win and the gradient would vanish into the border.)
 * Requiring {@code padding < kernel} guarantees every window covers at least one real pixel.
 *
 * <p>Caches, for every output, the flat index into x of the winner (first maximum in row-major
 * window order on a tie); backward adds each output gradient at that index only.
 */
public class PaddedMaxPool2D extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private int[] inputShape;
    private int[] argmax;

    public PaddedMaxPool2D(int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding >= kernel) {
            throw new IllegalArgumentException("PaddedMaxPool2D: need kernel > 0, stride > 0 and 0 <= padding < kernel,"
                    + " got kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, -1);
        ShapeCheck.window(this, x, kernel, padding);
        inputShape = x.shape();
        Tensor out = Tensor.zeros(outputShape(inputShape));
        int h = x.dim(2);
        int w = x.dim(3);
        int outH = out.dim(2);
        int outW = out.dim(3);
        int planes = x.dim(0) * x.dim(1);
        double[] xd = x.data();
        double[] od = out.data();
        int[] best = new int[od.length];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    int arg = windowArgmax(xd, p * h * w, h, w, i * stride - padding, j * stride - padding);
                    best[o] = arg;
                    od[o++] = xd[arg];
                }
            }
        }
        argmax = best;
        return out;
    }

    /** Flat index of the first largest real pixel in the window with top-left corner (row0, col0). */
    private int windowArgmax(double[] xd, int base, int h, int w, int row0, int col0) {
        int arg = -1;
        for (int r = Math.max(0, row0); r < Math.min(h, row0 + kernel); r++) {
            for (int c = Math.max(0, col0); c < Math.min(w, col0 + kernel); c++) {
                int idx = base + r * w + c;
                if (arg < 0 || MaxPool2D.takesOver(xd[idx], xd[arg])) { // positions outside the image are skipped: -infinity
                    arg = idx;
                }
            }
        }
        return arg;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] in = requireForward(inputShape);
        ShapeCheck.sameAs(this, "dOut", dOut, outputShape(in));
        Tensor dx = Tensor.zeros(in);
        double[] dd = dx.data();
        double[] gd = dOut.data();
        for (int o = 0; o < gd.length; o++) {
            dd[argmax[o]] += gd[o];
        }
        return dx;
    }

    /** (N, C, H, W) -> (N, C, H', W'). */
    public int[] outputShape(int[] in) {
        return ShapeCheck.windowOutput(in, in[1], kernel, stride, padding);
    }

    @Override
    public int minInputSize(int outputSize) {
        return ShapeCheck.windowInput(outputSize, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "PaddedMaxPool2D(kernel=" + kernel + ", stride=" + stride + ", padding=" + padding + ")";
    }
}
