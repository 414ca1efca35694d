package cnnkit.layers;

import cnnkit.tensor.Tensor;

/**
 * Group normalisation, {@code x (N, C, H, W) -> (N, C, H, W)}: the C channels of each image are
 * split into G groups of C / G neighbouring channels, and each group of each image is
 * standardised over its m = (C / G) * H * W values, then mapped by a per-channel
 * {@code y = gamma[c] * xhat + beta[c]}. The statistics never mix images, so the layer computes
 * the same in training and evaluation and works with a batch of one. G = 1 is
 * {@link LayerNorm}; G = C normalises each channel of each image on its own (instance norm).
 *
 * <p>Arithmetic, both backward passes, params and cache: see {@link Normalisation}.
 */
public class GroupNorm extends Normalisation {
    private final int groups;

    public GroupNorm(int groups, int channels) {
        this(groups, channels, DEFAULT_EPS);
    }

    public GroupNorm(int groups, int channels, double eps) {
        super(channels, eps);
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: the groups must divide the channels, got groups=" + groups
                    + " channels=" + channels);
        }
        this.groups = groups;
    }

    /** The groups of one image follow each other in memory: (1, N * G, (C / G) * H * W). */
    @Override
    protected Layout layout(Tensor x) {
        ShapeCheck.image(this, x, channelCount());
        int spatial = x.dim(2) * x.dim(3);
        return new Layout(1, x.dim(0) * groups, channelCount() / groups * spatial, spatial);
    }

    public int groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + " groups, " + channelCount() + ")";
    }
}
