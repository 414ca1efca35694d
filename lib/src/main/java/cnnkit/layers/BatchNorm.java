package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * Batch normalisation: {@link Normalisation} where a group is one channel across the whole
 * batch, m = N values for features ({@link BatchNorm1D}), m = N * H * W for feature maps
 * ({@link BatchNorm2D}). The subclasses only check the input's shape.
 *
 * <p>Training mode uses the batch's own mean and biased variance (divided by m), and updates the
 * running statistics with momentum 0.1 by default, {@code running = 0.9 * running + 0.1 * batch},
 * where, as in PyTorch, the running variance takes the <i>unbiased</i> batch variance
 * {@code var * m / (m - 1)}. Evaluation mode normalises with the running statistics instead (they
 * start at mean 0, variance 1), so an image gets the same answer whatever batch it is in, and the
 * statistics are constants for the backward pass. Training needs m >= 2.
 *
 * <p>Params: gamma (ones) then beta (zeros), one per channel. The running mean and variance are
 * state, not parameters: the optimizer never sees them, but {@link #runningMean()} and
 * {@link #runningVar()} return the live tensors so that a model file can be written and read.
 */
public abstract class BatchNorm extends Normalisation implements HasState {
    /** The default weight of the newest batch in the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    private final double momentum;
    private final Tensor runningMean;
    private final Tensor runningVar;

    protected BatchNorm(int channels, double eps, double momentum) {
        super(channels, eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": need 0 <= momentum <= 1, got " + momentum);
        }
        this.momentum = momentum;
        this.runningMean = Tensor.zeros(channels);
        this.runningVar = Tensor.ones(channels);
    }

    /** Checks the input's shape (naming this layer) and returns the values per image in one channel. */
    protected abstract int valuesPerChannel(Tensor x);

    /** (N, C, spatial) read as (outer N, groups C, inner spatial): a group is a channel. */
    @Override
    protected Layout layout(Tensor x) {
        int spatial = valuesPerChannel(x);
        return new Layout(x.dim(0), channelCount(), spatial, spatial);
    }

    /** Training: the batch's statistics, which also update the running ones. Evaluation: the running ones. */
    @Override
    protected double[][] statistics(double[] x, Layout l) {
        if (!isTraining()) {
            return new double[][] {runningMean.data().clone(), runningVar.data().clone()};
        }
        double[][] batch = super.statistics(x, l);
        updateRunning(batch[0], batch[1], l.m());
        return batch;
    }

    @Override
    protected boolean statisticsFromInput() {
        return isTraining();
    }

    /** running = (1 - momentum) * running + momentum * batch, with the unbiased variance var * m / (m - 1). */
    private void updateRunning(double[] mean, double[] var, int m) {
        double[] rm = runningMean.data();
        double[] rv = runningVar.data();
        double unbias = m / (m - 1.0);
        for (int c = 0; c < rm.length; c++) {
            rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
            rv[c] = (1 - momentum) * rv[c] + momentum * var[c] * unbias;
        }
    }

    /** Running mean and variance, for model files: "running_mean", "running_var". */
    @Override
    public List<Param> state() {
        return List.of(new Param("running_mean", runningMean), new Param("running_var", runningVar));
    }

    /** The running mean, one per channel: the live tensor, not a copy. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, one per channel: the live tensor, not a copy. */
    public Tensor runningVar() {
        return runningVar;
    }

    public double momentum() {
        return momentum;
    }
}
