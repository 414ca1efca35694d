package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * The arithmetic of batch normalisation, shared by {@link BatchNorm1D} and {@link BatchNorm2D}.
 *
 * <p>It sees its input as a flat array in the layout (outer, C, inner): element (o, c, i) at
 * {@code (o * C + c) * inner + i}. Each channel c is normalised over its m = outer * inner
 * values. BatchNorm1D uses outer = N, inner = 1; BatchNorm2D uses outer = N, inner = H * W.
 *
 * <p>Caches x-hat and 1/sqrt(var + eps) per channel, and whether the forward used batch or
 * running statistics.
 */
final class BatchNormCore {
    static final double DEFAULT_EPS = 1e-5;
    static final double DEFAULT_MOMENTUM = 0.1;

    private final Layer owner;
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Param gamma;
    private final Param beta;
    private final Tensor runningMean;
    private final Tensor runningVar;

    private double[] xhat;
    private double[] invStd;
    private int outer;
    private int inner;
    private boolean batchStats;

    BatchNormCore(Layer owner, int channels, double eps, double momentum) {
        if (channels <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(owner.getClass().getSimpleName()
                    + ": need channels > 0, eps > 0, 0 <= momentum <= 1; got channels=" + channels
                    + " eps=" + eps + " momentum=" + momentum);
        }
        this.owner = owner;
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.gamma = new Param("gamma", Tensor.ones(channels));
        this.beta = new Param("beta", Tensor.zeros(channels));
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.ones(channels);
    }

    int channels() {
        return channels;
    }

    double eps() {
        return eps;
    }

    double momentum() {
        return momentum;
    }

    Param gamma() {
        return gamma;
    }

    Param beta() {
        return beta;
    }

    List<Param> params() {
        return List.of(gamma, beta);
    }

    /** The running statistics as state for model files: "running_mean", "running_var". */
    java.util.List<Param> state() {
        return java.util.List.of(new Param("running_mean", runningMean), new Param("running_var", runningVar));
    }

    Tensor runningMean() {
        return runningMean;
    }

    Tensor runningVar() {
        return runningVar;
    }

    /** Normalises x (outer, C, inner) with batch statistics when {@code training}, running ones otherwise. */
    double[] forward(double[] x, int outer, int inner, boolean training) {
        int m = outer * inner;
        if (training && m < 2) {
            throw new IllegalArgumentException(owner + ": training needs more than one value per channel to estimate "
                    + "a variance, got " + m + " (batch " + outer + " x " + inner + " positions)");
        }
        this.outer = outer;
        this.inner = inner;
        this.batchStats = training;
        double[] mean = training ? channelMeans(x) : runningMean.data().clone();
        double[] var = training ? channelVariances(x, mean) : runningVar.data().clone();
        if (training) {
            updateRunning(mean, var, m);
        }
        invStd = new double[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = 1.0 / Math.sqrt(var[c] + eps);
        }
        xhat = new double[x.length];
        double[] y = new double[x.length];
        double[] g = gamma.value().data();
        double[] b = beta.value().data();
        // Loops over (o, c, i) walk the array in order, so each run of `inner` values shares one channel.
        for (int o = 0, idx = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double mc = mean[c], sc = invStd[c], gc = g[c], bc = b[c];
                for (int end = idx + inner; idx < end; idx++) {
                    xhat[idx] = (x[idx] - mc) * sc;
                    y[idx] = gc * xhat[idx] + bc;
                }
            }
        }
        return y;
    }

    /**
     * Returns dX for dOut in the same layout, adding dgamma = sum(g * xhat) and dbeta = sum(g).
     * With batch statistics the mean and variance depend on every x, which gives
     * {@code dx = gamma * invstd / m * (m g - sum g - xhat * sum(g xhat))} per channel;
     * with running statistics they are constants and {@code dx = g * gamma * invstd}.
     */
    double[] backward(double[] g) {
        double[] xh = Layer.cached(xhat, owner);
        double[] sumG = new double[channels];
        double[] sumGX = new double[channels];
        for (int o = 0, idx = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double sg = sumG[c], sgx = sumGX[c];
                for (int end = idx + inner; idx < end; idx++) {
                    sg += g[idx];
                    sgx += g[idx] * xh[idx];
                }
                sumG[c] = sg;
                sumGX[c] = sgx;
            }
        }
        double[] dGamma = gamma.grad().data();
        double[] dBeta = beta.grad().data();
        for (int c = 0; c < channels; c++) {
            dGamma[c] += sumGX[c];
            dBeta[c] += sumG[c];
        }
        double[] gam = gamma.value().data();
        double m = (double) outer * inner;
        double[] dx = new double[g.length];
        for (int o = 0, idx = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double scale = gam[c] * invStd[c];
                double sg = sumG[c], sgx = sumGX[c];
                for (int end = idx + inner; idx < end; idx++) {
                    dx[idx] = batchStats
                            ? scale / m * (m * g[idx] - sg - xh[idx] * sgx)
                            : scale * g[idx];
                }
            }
        }
        return dx;
    }

    private double[] channelMeans(double[] x) {
        double[] mean = new double[channels];
        for (int o = 0, idx = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double s = mean[c];
                for (int end = idx + inner; idx < end; idx++) {
                    s += x[idx];
                }
                mean[c] = s;
            }
        }
        int m = outer * inner;
        for (int c = 0; c < channels; c++) {
            mean[c] /= m;
        }
        return mean;
    }

    /** Biased variance (divided by m): the one the normalisation itself uses. */
    private double[] channelVariances(double[] x, double[] mean) {
        double[] var = new double[channels];
        for (int o = 0, idx = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                double s = var[c], mc = mean[c];
                for (int end = idx + inner; idx < end; idx++) {
                    double d = x[idx] - mc;
                    s += d * d;
                }
                var[c] = s;
            }
        }
        int m = outer * inner;
        for (int c = 0; c < channels; c++) {
            var[c] /= m;
        }
        return var;
    }

    /**
     * running = (1 - momentum) * running + momentum * batch. As in PyTorch, the running variance
     * takes the unbiased batch variance, var * m / (m - 1), since it estimates the population's.
     */
    private void updateRunning(double[] mean, double[] var, int m) {
        double[] rm = runningMean.data();
        double[] rv = runningVar.data();
        double unbias = m / (m - 1.0);
        for (int c = 0; c < channels; c++) {
            rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
            rv[c] = (1 - momentum) * rv[c] + momentum * var[c] * unbias;
        }
    }
}
