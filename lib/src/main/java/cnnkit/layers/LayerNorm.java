package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;

/**
 * Layer normalisation: every sample is standardised over all of its own values, features
 * {@code x (N, F)} (m = F) or feature maps {@code x (N, C, H, W)} (m = C * H * W), then mapped by
 * a per-channel {@code y = gamma[c] * xhat + beta[c]}. The statistics never mix samples, so the
 * layer computes the same in training and evaluation and works with a batch of one. On feature
 * maps it is {@link GroupNorm} with one group. (PyTorch's LayerNorm over (C, H, W) learns one
 * gamma per value instead of one per channel.)
 *
 * <p>Arithmetic, both backward passes, params and cache: see {@link Normalisation}.
 */
public class LayerNorm extends Normalisation {
    public LayerNorm(int channels) {
        this(channels, DEFAULT_EPS);
    }

    public LayerNorm(int channels, double eps) {
        super(channels, eps);
    }

    /** One group per sample: (1, N, size / N). */
    @Override
    protected Layout layout(Tensor x) {
        boolean features = x.rank() == 2 && x.dim(1) == channelCount();
        boolean maps = x.rank() == 4 && x.dim(1) == channelCount();
        if (!features && !maps) {
            throw new IllegalArgumentException(this + ": expected input (N, " + channelCount() + ") or (N, "
                    + channelCount() + ", H, W), got " + Shape.str(x.shape()));
        }
        int spatial = maps ? x.dim(2) * x.dim(3) : 1;
        return new Layout(1, x.dim(0), x.size() / x.dim(0), spatial);
    }
}
