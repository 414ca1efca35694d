package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * The step between two DenseNet blocks: fewer channels and half the resolution.
 *
 * <pre>
 *   [BN ->] ReLU -> conv 1x1 (in -> out) -> average pool 2x2, stride 2
 * </pre>
 * A ReLU comes first (the block before ends with a convolution);
 * {@code batchNorm} adds a batch normalisation before it, giving DenseNet-BC's BN-ReLU-Conv-Pool.
 * DenseNet picks {@code out = floor(in * compression)}, with compression 0.5.
 *
 * <p>{@code x (N, in, H, W) -> (N, out, H / 2, W / 2)} (floored). Params: conv weight, bias; or, with
 * batch normalisation, gamma, beta, conv weight (no bias, see {@link BiasFreeConv2D}).
 * A plain chain: each part caches its own input; backward runs the parts in reverse.
 */
public class TransitionLayer extends PreActivationChain {
    private final int out;

    public TransitionLayer(int in, int out) {
        this(in, out, false, new Random(Init.DEFAULT_SEED));
    }

    public TransitionLayer(int in, int out, boolean batchNorm) {
        this(in, out, batchNorm, new Random(Init.DEFAULT_SEED));
    }

    public TransitionLayer(int in, int out, boolean batchNorm, Random rng) {
        super(in, batchNorm);
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("TransitionLayer: need positive channels, got in=" + in + " out=" + out);
        }
        this.out = out;
        addPreActivatedConv(in, out, 1, 0, rng);
        chain.add(new AvgPool2D(2, 2));
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, in);
        ShapeCheck.window(this, x, 2, 0);
        return keepOutputShape(chain.forward(x));
    }

    @Override
    public Tensor backward(Tensor dOut) {
        checkDOut(dOut);
        return chain.backward(dOut);
    }

    /** (N, in, H, W) -> (N, out, H / 2, W / 2). */
    public int[] outputShape(int[] inShape) {
        return ShapeCheck.windowOutput(inShape, out, 2, 2, 0);
    }

    @Override
    public String toString() {
        return "Transition(" + in + "->" + out + (batchNorm ? ", bn" : "") + ", avgpool 2)";
    }
}
