package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * The one place for the arithmetic of batch, layer and group normalisation. Each standardises
 * groups of m values to mean 0 and variance 1, then applies a learned per-channel affine map:
 * <pre>
 *   mu    = mean(x over the group)            var = mean((x - mu)^2 over the group)
 *   xhat  = (x - mu) / sqrt(var + eps)        y   = gamma[c] * xhat + beta[c]
 * </pre>
 * They differ only in which values form a group, which {@link #layout} describes for an input:
 * batch norm groups a channel across the batch (and its pixels), layer norm all values of one
 * sample, group norm a block of channels of one sample.
 *
 * <p>Layouts: the input is read as (outer, groups, inner) for the statistics, element
 * (o, g, i) at {@code (o * groups + g) * inner + i}, and as (N, C, spatial) for the affine map,
 * element (n, c, s) at {@code (n * C + c) * spatial + s}. So each run of {@code inner}
 * consecutive values belongs to one group, and each run of {@code spatial} values to one
 * channel: the loops find the group (or channel) once per run.
 *
 * <p>Two backward passes give the same dX (the tests hold them equal):
 * {@link #backwardStaged} walks the computational graph back one stage at a time;
 * {@link #backwardSimplified}, which {@link #backward} uses, is the single formula those stages
 * collapse to, {@code dx = invStd / m * (m * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))}.
 * Both add dgamma = sum(dOut * xhat) and dbeta = sum(dOut) per channel.
 *
 * <p>Params: gamma (ones) then beta (zeros), one per channel. Caches x - mu, x-hat and
 * 1/sqrt(var + eps) per group, and whether the statistics came from the input (when they are
 * fixed, as in batch norm's evaluation mode, {@code dx = dxhat * invStd}).
 */
public abstract class Normalisation extends Layer {
    /** The default eps added to the variance. */
    public static final double DEFAULT_EPS = 1e-5;

    /** How the values of an input are grouped: (outer, groups, inner), and (N, C, spatial) for the affine map. */
    protected record Layout(int outer, int groups, int inner, int spatial) {
        int m() {
            return outer * inner;
        }

        /** The group of flat index idx: the g of (o, g, i). */
        int groupOf(int idx) {
            return (idx / inner) % groups;
        }

        /** The channel of flat index idx for the affine map: the c of (n, c, s). */
        int channelOf(int idx, int channels) {
            return (idx / spatial) % channels;
        }
    }

    private final int channels;
    private final double eps;
    private final Param gamma;
    private final Param beta;

    private int[] inputShape;
    private Layout layout;
    private double[] centred;      // x - mu
    private double[] xhat;         // (x - mu) * invStd
    private double[] invStd;       // 1 / sqrt(var + eps), one per group
    private boolean inputStatistics;

    protected Normalisation(int channels, double eps) {
        if (channels <= 0 || !(eps > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": need channels > 0 and eps > 0, got channels="
                    + channels + " eps=" + eps);
        }
        this.channels = channels;
        this.eps = eps;
        this.gamma = new Param("gamma", Tensor.ones(channels));
        this.beta = new Param("beta", Tensor.zeros(channels));
    }

    /** Checks the input's shape (naming this layer) and says how its values are grouped. */
    protected abstract Layout layout(Tensor x);

    /**
     * The mean and biased variance of each group to normalise with: {@code {mu, var}}. By default
     * the input's own ({@link #groupMeans}, {@link #groupVariances}); batch norm overrides this to
     * keep running statistics and to use them in evaluation mode.
     */
    protected double[][] statistics(double[] x, Layout l) {
        double[] mu = groupMeans(x, l);
        return new double[][] {mu, groupVariances(x, mu, l)};
    }

    /** Whether {@link #statistics} were computed from the input (so dX flows through them too). */
    protected boolean statisticsFromInput() {
        return true;
    }

    /** x -> y of the same shape; caches x - mu, xhat and invStd. */
    @Override
    public Tensor forward(Tensor x) {
        Layout l = layout(x);
        if (statisticsFromInput() && l.m() < 2) {
            throw new IllegalArgumentException(this + ": normalising needs more than one value per group to estimate a "
                    + "variance, got " + l.m() + " for input " + cnnkit.tensor.Shape.str(x.shape()));
        }
        double[] xd = x.data();
        double[][] stats = statistics(xd, l);
        double[] mu = stats[0], var = stats[1];
        invStd = new double[l.groups()];
        for (int g = 0; g < l.groups(); g++) {
            invStd[g] = 1.0 / Math.sqrt(var[g] + eps);
        }
        centred = new double[xd.length];
        xhat = new double[xd.length];
        for (int start = 0; start < xd.length; start += l.inner()) {
            int g = l.groupOf(start); // a run of inner values shares one group
            for (int idx = start; idx < start + l.inner(); idx++) {
                centred[idx] = xd[idx] - mu[g];
                xhat[idx] = centred[idx] * invStd[g];
            }
        }
        layout = l;
        inputStatistics = statisticsFromInput();
        inputShape = x.shape();
        return Tensor.of(affine(xhat), inputShape);
    }

    /** dOut -> dX by {@link #backwardSimplified}. */
    @Override
    public Tensor backward(Tensor dOut) {
        return backwardSimplified(dOut);
    }

    /**
     * The backward pass as one formula per element:
     * {@code dx = invStd / m * (m * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))}, sums over the group.
     */
    public Tensor backwardSimplified(Tensor dOut) {
        double[] dxhat = affineBackward(dOut);
        if (!inputStatistics) {
            return fixedStatisticsBackward(dxhat);
        }
        Layout l = layout;
        double[] sumD = groupSums(dxhat, null, l);
        double[] sumDX = groupSums(dxhat, xhat, l);
        double m = l.m();
        double[] dx = new double[dxhat.length];
        for (int start = 0; start < dx.length; start += l.inner()) {
            int g = l.groupOf(start);
            for (int idx = start; idx < start + l.inner(); idx++) {
                dx[idx] = invStd[g] / m * (m * dxhat[idx] - sumD[g] - xhat[idx] * sumDX[g]);
            }
        }
        return Tensor.of(dx, inputShape);
    }

    /**
     * The backward pass one stage of the forward graph at a time, last stage first:
     * <pre>
     *   xhat = xc * istd       dxc1  = dxhat * istd            distd = sum(dxhat * xc)
     *   istd = 1 / std         dstd  = -distd / std^2
     *   std  = sqrt(var + eps) dvar  = dstd / (2 std)
     *   var  = mean(xc^2)      dxc2  = 2 xc * dvar / m         dxc = dxc1 + dxc2
     *   xc   = x - mu          dmu   = -sum(dxc)
     *   mu   = mean(x)         dx    = dxc + dmu / m
     * </pre>
     */
    public Tensor backwardStaged(Tensor dOut) {
        double[] dxhat = affineBackward(dOut);
        if (!inputStatistics) {
            return fixedStatisticsBackward(dxhat);
        }
        Layout l = layout;
        double m = l.m();
        double[] dInvStd = groupSums(dxhat, centred, l);
        double[] dVar = new double[l.groups()];
        for (int g = 0; g < l.groups(); g++) {
            double std = 1.0 / invStd[g];
            double dStd = -dInvStd[g] / (std * std);
            dVar[g] = dStd / (2 * std);
        }
        double[] dCentred = new double[dxhat.length];
        for (int start = 0; start < dCentred.length; start += l.inner()) {
            int g = l.groupOf(start);
            for (int idx = start; idx < start + l.inner(); idx++) {
                dCentred[idx] = dxhat[idx] * invStd[g] + 2 * centred[idx] * dVar[g] / m;
            }
        }
        double[] dMu = groupSums(dCentred, null, l);
        double[] dx = new double[dxhat.length];
        for (int start = 0; start < dx.length; start += l.inner()) {
            int g = l.groupOf(start);
            for (int idx = start; idx < start + l.inner(); idx++) {
                dx[idx] = dCentred[idx] - dMu[g] / m;
            }
        }
        return Tensor.of(dx, inputShape);
    }

    /** y = gamma[c] * xhat + beta[c]. */
    private double[] affine(double[] xh) {
        double[] g = gamma.value().data();
        double[] b = beta.value().data();
        double[] y = new double[xh.length];
        for (int start = 0; start < xh.length; start += layout.spatial()) {
            int c = layout.channelOf(start, channels); // a run of spatial values shares one channel
            for (int idx = start; idx < start + layout.spatial(); idx++) {
                y[idx] = g[c] * xh[idx] + b[c];
            }
        }
        return y;
    }

    /** Adds dgamma = sum(dOut * xhat) and dbeta = sum(dOut) per channel; returns dxhat = dOut * gamma[c]. */
    private double[] affineBackward(Tensor dOut) {
        double[] xh = requireForward(xhat);
        ShapeCheck.sameAs(this, "dOut", dOut, inputShape);
        double[] d = dOut.data();
        double[] g = gamma.value().data();
        double[] dGamma = gamma.grad().data();
        double[] dBeta = beta.grad().data();
        double[] dxhat = new double[d.length];
        for (int start = 0; start < d.length; start += layout.spatial()) {
            int c = layout.channelOf(start, channels);
            for (int idx = start; idx < start + layout.spatial(); idx++) {
                dGamma[c] += d[idx] * xh[idx];
                dBeta[c] += d[idx];
                dxhat[idx] = d[idx] * g[c];
            }
        }
        return dxhat;
    }

    /** With statistics that do not depend on x, xhat is x scaled per group: dx = dxhat * invStd. */
    private Tensor fixedStatisticsBackward(double[] dxhat) {
        double[] dx = new double[dxhat.length];
        for (int start = 0; start < dx.length; start += layout.inner()) {
            int g = layout.groupOf(start);
            for (int idx = start; idx < start + layout.inner(); idx++) {
                dx[idx] = dxhat[idx] * invStd[g];
            }
        }
        return Tensor.of(dx, inputShape);
    }

    /** Per group: sum of a, or of a * b when b is given. */
    private static double[] groupSums(double[] a, double[] b, Layout l) {
        double[] s = new double[l.groups()];
        for (int start = 0; start < a.length; start += l.inner()) {
            int g = l.groupOf(start);
            for (int idx = start; idx < start + l.inner(); idx++) {
                s[g] += b == null ? a[idx] : a[idx] * b[idx];
            }
        }
        return s;
    }

    /** The mean of each group. */
    protected static double[] groupMeans(double[] x, Layout l) {
        double[] mu = groupSums(x, null, l);
        for (int g = 0; g < mu.length; g++) {
            mu[g] /= l.m();
        }
        return mu;
    }

    /** The biased variance (divided by m) of each group, the one the normalisation uses. */
    protected static double[] groupVariances(double[] x, double[] mu, Layout l) {
        double[] var = new double[l.groups()];
        for (int start = 0; start < x.length; start += l.inner()) {
            int g = l.groupOf(start);
            for (int idx = start; idx < start + l.inner(); idx++) {
                var[g] += (x[idx] - mu[g]) * (x[idx] - mu[g]);
            }
        }
        for (int g = 0; g < var.length; g++) {
            var[g] /= l.m();
        }
        return var;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    public Param gamma() {
        return gamma;
    }

    public Param beta() {
        return beta;
    }

    /** The number of channels (features), each with its own gamma and beta. */
    protected int channelCount() {
        return channels;
    }

    public double eps() {
        return eps;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + channels + ")";
    }
}
