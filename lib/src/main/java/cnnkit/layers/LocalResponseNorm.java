package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Local response normalisation across channels, as in AlexNet: each value is divided by a
 * power of the energy of its neighbours in nearby channels at the same pixel.
 *
 * <p>{@code x (N, C, H, W) -> (N, C, H, W)}, with, at every (n, h, w),
 * <pre>
 *   S_c = k + alpha * sum_{c' = max(0, c - n/2)}^{min(C - 1, c + n/2)} a_{c'}^2
 *   b_c = a_c / S_c^beta
 * </pre>
 * In this definition alpha multiplies the plain sum (it is <b>not</b>
 * divided by n, unlike PyTorch's {@code LocalResponseNorm}), and the window of n channels is
 * centred on c and simply cut off at the first and last channel. n must be odd so that the
 * window can be centred. AlexNet's values n = 5, alpha = 1e-4, beta = 0.75, k = 2 are the
 * defaults.
 *
 * <p>Caches the input a and the denominators S. Backward: a_j appears in its own numerator and
 * in the S_c of every channel c whose window holds j (the windows are symmetric, so exactly the
 * channels c in j's own window), which gives
 * <pre>
 *   dA_j = g_j S_j^-beta - 2 alpha beta a_j sum_{c in window(j)} g_c a_c S_c^(-beta-1)
 * </pre>
 * (Passing the incoming gradient through unchanged would be wrong: it ignores both the scaling by
 * S^-beta and the coupling between channels.)
 */
public class LocalResponseNorm extends Layer {
    private final int n;
    private final double alpha;
    private final double beta;
    private final double k;
    private Tensor input;
    private double[] denominators;

    /** AlexNet's settings: n = 5, alpha = 1e-4, beta = 0.75, k = 2. */
    public LocalResponseNorm() {
        this(5, 1e-4, 0.75, 2.0);
    }

    public LocalResponseNorm(int n, double alpha, double beta, double k) {
        if (n <= 0 || n % 2 == 0 || !(alpha >= 0) || !(beta >= 0) || !(k > 0)) {
            throw new IllegalArgumentException("LocalResponseNorm: need odd n > 0, alpha >= 0, beta >= 0, k > 0; got n="
                    + n + " alpha=" + alpha + " beta=" + beta + " k=" + k);
        }
        this.n = n;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, -1);
        int channels = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        double[] xd = x.data();
        double[] s = new double[xd.length];
        Tensor out = Tensor.zeros(x.shape());
        double[] od = out.data();
        for (int b = 0; b < x.dim(0); b++) {
            int base = b * channels * plane;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    double sum = 0;
                    for (int c2 = lo(c); c2 <= hi(c, channels); c2++) {
                        double a = xd[base + c2 * plane + p];
                        sum += a * a;
                    }
                    int idx = base + c * plane + p;
                    s[idx] = k + alpha * sum;
                    od[idx] = xd[idx] * Math.pow(s[idx], -beta);
                }
            }
        }
        input = x;
        denominators = s;
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = requireForward(input);
        ShapeCheck.sameAs(this, "dOut", dOut, x.shape());
        int channels = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        double[] xd = x.data();
        double[] gd = dOut.data();
        double[] s = denominators;
        // t_c = g_c a_c S_c^(-beta-1): the part of each channel's term shared by its whole window
        double[] t = new double[xd.length];
        for (int i = 0; i < xd.length; i++) {
            t[i] = gd[i] * xd[i] * Math.pow(s[i], -beta - 1);
        }
        Tensor dx = Tensor.zeros(x.shape());
        double[] dd = dx.data();
        for (int b = 0; b < x.dim(0); b++) {
            int base = b * channels * plane;
            for (int j = 0; j < channels; j++) {
                for (int p = 0; p < plane; p++) {
                    double sum = 0;
                    for (int c = lo(j); c <= hi(j, channels); c++) {
                        sum += t[base + c * plane + p];
                    }
                    int idx = base + j * plane + p;
                    dd[idx] = gd[idx] * Math.pow(s[idx], -beta) - 2 * alpha * beta * xd[idx] * sum;
                }
            }
        }
        return dx;
    }

    private int lo(int c) {
        return Math.max(0, c - n / 2);
    }

    private int hi(int c, int channels) {
        return Math.min(channels - 1, c + n / 2);
    }

    @Override
    public String toString() {
        return "LocalResponseNorm(n=" + n + ", alpha=" + alpha + ", beta=" + beta + ", k=" + k + ")";
    }
}
