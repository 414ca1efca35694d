package cnnkit.layers;

import java.util.Random;

/**
 * What {@link DenseLayer} and {@link TransitionLayer} share: a plain chain of parts built from
 * DenseNet's pre-activated convolution, {@code [BN ->] ReLU -> conv}. With batch normalisation
 * the convolution has no bias: in DenseNet-BC its output reaches the loss only through a later
 * batch normalisation, which cancels a per-channel constant (see {@link BiasFreeConv2D}).
 */
public abstract class PreActivationChain extends CompositeLayer {
    protected final int in;
    protected final boolean batchNorm;
    /** The parts in order; each caches its own input, and backward runs them in reverse. */
    protected final Sequential chain = part(new Sequential());

    protected PreActivationChain(int in, boolean batchNorm) {
        this.in = in;
        this.batchNorm = batchNorm;
    }

    /** Appends {@code [BN ->] ReLU -> conv kernel x kernel, stride 1 (cin -> cout)}. */
    protected final void addPreActivatedConv(int cin, int cout, int kernel, int padding, Random rng) {
        if (batchNorm) {
            chain.add(new BatchNorm2D(cin));
        }
        chain.add(new ReLU());
        chain.add(BiasFreeConv2D.ifBatchNorm(batchNorm, cin, cout, kernel, 1, padding, rng));
    }
}
