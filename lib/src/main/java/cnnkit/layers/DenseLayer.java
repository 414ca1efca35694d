package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * One layer of a DenseNet block: a bottleneck that turns everything seen so far into
 * {@code growth} new feature maps.
 *
 * <pre>
 *   [BN ->] ReLU -> conv 1x1 (in -> 4 * growth) -> [BN ->] ReLU -> conv 3x3 pad 1 (4 * growth -> growth)
 * </pre>
 * The activation comes before each convolution ("pre-activation"), as in the DenseNet-BC paper.
 * Without batch normalisation ({@code batchNorm} false, the default) the layer is the simplest to
 * follow; with true the layer is exactly DenseNet-BC's BN-ReLU-Conv(1x1)-BN-ReLU-Conv(3x3).
 *
 * <p>{@code x (N, in, H, W) -> (N, growth, H, W)}. Params in order: without batch normalisation
 * conv1 weight, bias, conv2 weight, bias; with it bn1 gamma, beta, conv1 weight, bn2 gamma, beta,
 * conv2 weight (no convolution biases, as in DenseNet-BC: see {@link BiasFreeConv2D}).
 * A plain chain: each part caches its own input, and backward runs the parts in reverse.
 * {@link DenseBlock} does the concatenating.
 */
public class DenseLayer extends CompositeLayer {
    private final int in;
    private final int growth;
    private final boolean batchNorm;
    private final Sequential chain;

    public DenseLayer(int in, int growth) {
        this(in, growth, false, new Random(Init.DEFAULT_SEED));
    }

    public DenseLayer(int in, int growth, boolean batchNorm) {
        this(in, growth, batchNorm, new Random(Init.DEFAULT_SEED));
    }

    /** Weights drawn from {@code rng}: the 1x1 convolution first, then the 3x3. */
    public DenseLayer(int in, int growth, boolean batchNorm, Random rng) {
        if (in <= 0 || growth <= 0) {
            throw new IllegalArgumentException("DenseLayer: need positive channels, got in=" + in + " growth=" + growth);
        }
        this.in = in;
        this.growth = growth;
        this.batchNorm = batchNorm;
        int bottleneck = 4 * growth;
        this.chain = part(new Sequential());
        preActivation(in);
        chain.add(conv(in, bottleneck, 1, 0, rng));
        preActivation(bottleneck);
        chain.add(conv(bottleneck, growth, 3, 1, rng));
    }

    /**
     * With batch normalisation the convolutions have no bias: the 1x1's output goes straight into
     * a BN, and in DenseNet-BC the 3x3's output only ever reaches the loss through the BN of a
     * later layer, a transition or the final BN, which cancel a per-channel constant.
     */
    private Conv2D conv(int cin, int cout, int kernel, int padding, Random rng) {
        return BiasFreeConv2D.ifBatchNorm(batchNorm, cin, cout, kernel, 1, padding, rng);
    }

    private void preActivation(int channels) {
        preActivation(chain, channels, batchNorm);
    }

    /** Adds DenseNet's pre-activation to {@code chain}: batch normalisation (if used), then ReLU. */
    static void preActivation(Sequential chain, int channels, boolean batchNorm) {
        if (batchNorm) {
            chain.add(new BatchNorm2D(channels));
        }
        chain.add(new ReLU());
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, in);
        Tensor y = chain.forward(x);
        return keepOutputShape(y);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        checkDOut(dOut);
        return chain.backward(dOut);
    }

    public int growth() {
        return growth;
    }

    @Override
    public String toString() {
        return "DenseLayer(" + in + "->" + 4 * growth + "->" + growth + (batchNorm ? ", bn" : "") + ")";
    }
}
