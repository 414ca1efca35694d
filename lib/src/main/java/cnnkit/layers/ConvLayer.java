package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * What {@link Conv2D} and {@link ConvTranspose2D} share: the sizes C (inChannels), F
 * (outChannels), kernel, stride and padding, and a weight with one kernel x kernel filter per pair
 * of channels, plus a bias (F). The weight starts He-normal with fan-in C * kernel * kernel, drawn
 * from the layer's {@link Random}.
 */
public abstract class ConvLayer extends WeightedLayer {
    protected final int inChannels;
    protected final int outChannels;
    protected final int kernel;
    protected final int stride;
    protected final int padding;

    /**
     * Checks the sizes (the message names {@code layer}) before any weight is drawn. The weight is
     * (F, C, kernel, kernel) for a convolution; with {@code transposed} it is (C, F, kernel, kernel),
     * input channels first as PyTorch stores it, and the padding must be smaller than the kernel.
     */
    protected ConvLayer(String layer, int inChannels, int outChannels, int kernel, int stride, int padding,
                        boolean transposed, Random rng) {
        super(initialWeight(layer, inChannels, outChannels, kernel, stride, padding, transposed, rng), outChannels);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** The He-normal starting weight, drawn only once the sizes have been checked. */
    private static Tensor initialWeight(String layer, int inChannels, int outChannels, int kernel, int stride,
                                        int padding, boolean transposed, Random rng) {
        boolean paddingOk = padding >= 0 && (!transposed || padding < kernel);
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || !paddingOk) {
            throw new IllegalArgumentException(layer + ": need positive channels, kernel and stride and "
                    + (transposed ? "0 <= padding < kernel" : "padding >= 0") + ", got in=" + inChannels + " out="
                    + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        int fanIn = inChannels * kernel * kernel;
        Random weights = Init.requireRng(layer, rng);
        return transposed ? Init.heNormal(weights, fanIn, inChannels, outChannels, kernel, kernel)
                : Init.heNormal(weights, fanIn, outChannels, inChannels, kernel, kernel);
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }
}
