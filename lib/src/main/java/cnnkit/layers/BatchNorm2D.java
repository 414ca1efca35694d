package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Batch normalisation of feature maps, {@code x (N, C, H, W) -> (N, C, H, W)}: the N * H * W
 * values of each channel are shifted and scaled to mean 0 and variance 1, then mapped by a learned
 * {@code y = gamma * xhat + beta}. After a {@link Conv2D} it normalises each feature map.
 * Training and evaluation modes, parameters, state and cache: see {@link BatchNorm}.
 */
public class BatchNorm2D extends BatchNorm {
    public BatchNorm2D(int channels) {
        this(channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm2D(int channels, double eps, double momentum) {
        super(channels, eps, momentum);
    }

    @Override
    protected int valuesPerChannel(Tensor x) {
        ShapeCheck.image(this, x, channels());
        return x.dim(2) * x.dim(3);
    }

    public int channels() {
        return channelCount();
    }
}
