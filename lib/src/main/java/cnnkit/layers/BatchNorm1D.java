package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Batch normalisation of features, {@code x (N, F) -> (N, F)}: the N values of each feature in
 * the batch are shifted and scaled to mean 0 and variance 1, then mapped by a learned
 * {@code y = gamma * xhat + beta}. After a {@link Dense} it normalises each unit.
 * Training and evaluation modes, parameters, state and cache: see {@link BatchNorm}.
 */
public class BatchNorm1D extends BatchNorm {
    public BatchNorm1D(int features) {
        this(features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm1D(int features, double eps, double momentum) {
        super(features, eps, momentum);
    }

    @Override
    protected int valuesPerChannel(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != features()) {
            throw new IllegalArgumentException(this + ": expected input (N, " + features() + "), got "
                    + Shape.str(x.shape()));
        }
        return 1;
    }

    public int features() {
        return channelCount();
    }
}
