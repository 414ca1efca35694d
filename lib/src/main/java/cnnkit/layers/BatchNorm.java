package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * What {@link BatchNorm1D} and {@link BatchNorm2D} share: each normalises the m values of every
 * channel in the batch (m = N for features, N * H * W for feature maps), then maps them by a
 * learned {@code y = gamma * xhat + beta}. The subclasses differ only in the input shape they
 * accept and in how many values per image belong to one channel.
 *
 * <p>Training mode uses the batch's own mean and biased variance (divided by m):
 * {@code xhat = (x - mean) / sqrt(var + eps)}, eps = 1e-5 by default. It also updates the running
 * statistics with momentum 0.1 by default, {@code running = 0.9 * running + 0.1 * batch}, where,
 * as in PyTorch, the running variance takes the <i>unbiased</i> batch variance
 * {@code var * m / (m - 1)}. Evaluation mode normalises with the running statistics instead (they
 * start at mean 0, variance 1), so an image gets the same answer whatever batch it is in.
 * Training needs m >= 2.
 *
 * <p>Params: gamma (ones) then beta (zeros), one per channel. The running mean and variance are
 * state, not parameters: the optimizer never sees them, but {@link #runningMean()} and
 * {@link #runningVar()} return the live tensors so that a model file can be written and read.
 * Caches x-hat and 1/sqrt(var + eps); the backward formulas are in {@code BatchNormCore}.
 */
public abstract class BatchNorm extends Layer implements HasState {
    private final BatchNormCore core;
    private int[] inputShape;

    protected BatchNorm(int channels, double eps, double momentum) {
        this.core = new BatchNormCore(this, channels, eps, momentum);
    }

    /** Checks the input's shape (naming this layer) and returns the values per image in one channel. */
    protected abstract int valuesPerChannel(Tensor x);

    @Override
    public Tensor forward(Tensor x) {
        int spatial = valuesPerChannel(x);
        double[] y = core.forward(x.data(), x.dim(0), spatial, isTraining());
        inputShape = x.shape();
        return Tensor.of(y, inputShape);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int[] shape = cached(inputShape, this);
        ShapeCheck.sameAs(this, "dOut", dOut, shape);
        return Tensor.of(core.backward(dOut.data()), shape);
    }

    @Override
    public List<Param> params() {
        return core.params();
    }

    public Param gamma() {
        return core.gamma();
    }

    public Param beta() {
        return core.beta();
    }

    /** Running mean and variance, for model files. */
    @Override
    public List<Param> state() {
        return core.state();
    }

    /** The running mean, one per channel: the live tensor, not a copy. */
    public Tensor runningMean() {
        return core.runningMean();
    }

    /** The running (unbiased) variance, one per channel: the live tensor, not a copy. */
    public Tensor runningVar() {
        return core.runningVar();
    }

    protected int channelCount() {
        return core.channels();
    }

    public double eps() {
        return core.eps();
    }

    public double momentum() {
        return core.momentum();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + core.channels() + ")";
    }
}
