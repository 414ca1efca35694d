package cnnkit.layers;

import cnnkit.tensor.Param;
import java.util.List;
import java.util.Random;

/**
 * A {@link Conv2D} without a trainable bias, for use right before batch normalisation.
 *
 * <p>Why: in training mode batch normalisation subtracts each channel's batch mean, so a constant
 * added per channel before it cancels exactly. A bias there has a gradient of exactly zero, never
 * learns anything, and only adds parameters (frameworks build these convolutions with
 * {@code bias=False} for the same reason).
 *
 * <p>Same shapes and caching as {@link Conv2D}: {@code x (N, C, H, W) -> (N, F, H', W')}. The bias
 * is kept at zero and left out of {@link #params()}, so no optimizer ever changes it and
 * parameter counts leave it out.
 */
public class BiasFreeConv2D extends Conv2D {

    public BiasFreeConv2D(int inChannels, int outChannels, int kernel, int stride, int padding, Random rng) {
        super(inChannels, outChannels, kernel, stride, padding, rng);
    }

    /**
     * A convolution whose output goes into batch normalisation when {@code batchNorm} is true: then
     * without bias (BN subtracts each channel's mean, so a per-channel bias would be cancelled and
     * its gradient would be zero), otherwise an ordinary {@link Conv2D} with bias.
     */
    public static Conv2D ifBatchNorm(boolean batchNorm, int inChannels, int outChannels, int kernel, int stride,
                                     int padding, Random rng) {
        return batchNorm ? new BiasFreeConv2D(inChannels, outChannels, kernel, stride, padding, rng)
                : new Conv2D(inChannels, outChannels, kernel, stride, padding, rng);
    }

    /** The weight only. */
    @Override
    public List<Param> params() {
        return List.of(weight());
    }

    @Override
    public String toString() {
        String s = super.toString();
        return s.substring(0, s.length() - 1) + ", no bias)";
    }
}
