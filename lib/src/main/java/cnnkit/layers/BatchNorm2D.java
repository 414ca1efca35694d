package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Tensor;
import java.util.List;

/**
 * Batch normalisation, {@code x (N, C, H, W) -> (N, C, H, W)}: the N * H * W values of each
 * channel are shifted and scaled to mean 0 and variance 1, then mapped by a learned
 * {@code y = gamma * xhat + beta}. After a {@link Conv2D} it normalises each feature map.
 *
 * <p>Training mode uses the batch's own mean and biased variance (divided by m, the number of
 * values per channel): {@code xhat = (x - mean) / sqrt(var + eps)}, eps = 1e-5 by default. It
 * also updates the running statistics with momentum 0.1 by default,
 * {@code running = 0.9 * running + 0.1 * batch}, where, as in PyTorch, the running variance takes
 * the <i>unbiased</i> batch variance {@code var * m / (m - 1)}. Evaluation mode normalises with
 * the running statistics instead (they start at mean 0, variance 1), so an image gets the same
 * answer whatever batch it is in. Training needs m >= 2.
 *
 * <p>Params: gamma (ones) then beta (zeros), each of length channels. The running mean and variance
 * are state, not parameters: the optimizer never sees them, but {@link #runningMean()} and
 * {@link #runningVar()} return the live tensors so that a model file can be written and read.
 * Caches x-hat and 1/sqrt(var + eps); the backward formulas are in {@code BatchNormCore}.
 */
public class BatchNorm2D extends Layer implements HasState {
    private final BatchNormCore core;
    private int[] inputShape;

    public BatchNorm2D(int channels) {
        this(channels, BatchNormCore.DEFAULT_EPS, BatchNormCore.DEFAULT_MOMENTUM);
    }

    public BatchNorm2D(int channels, double eps, double momentum) {
        this.core = new BatchNormCore(this, channels, eps, momentum);
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, core.channels());
        double[] y = core.forward(x.data(), x.dim(0), x.dim(2) * x.dim(3), isTraining());
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

    /** The running mean, length channels: the live tensor, not a copy. */
    public Tensor runningMean() {
        return core.runningMean();
    }

    /** The running (unbiased) variance, length channels: the live tensor, not a copy. */
    public Tensor runningVar() {
        return core.runningVar();
    }

    public int channels() {
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
        return "BatchNorm2D(" + core.channels() + ")";
    }
}
