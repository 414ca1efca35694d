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
public class DenseLayer extends PreActivationChain {
    private final int growth;

    public DenseLayer(int in, int growth) {
        this(in, growth, false, new Random(Init.DEFAULT_SEED));
    }

    public DenseLayer(int in, int growth, boolean batchNorm) {
        this(in, growth, batchNorm, new Random(Init.DEFAULT_SEED));
    }

    /** Weights drawn from {@code rng}: the 1x1 convolution first, then the 3x3. */
    public DenseLayer(int in, int growth, boolean batchNorm, Random rng) {
        super(in, batchNorm);
        if (in <= 0 || growth <= 0) {
            throw new IllegalArgumentException("DenseLayer: need positive channels, got in=" + in + " growth=" + growth);
        }
        this.growth = growth;
        int bottleneck = 4 * growth;
        addPreActivatedConv(in, bottleneck, 1, 0, rng);
        addPreActivatedConv(bottleneck, growth, 3, 1, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, in);
        return keepOutputShape(chain.forward(x));
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
