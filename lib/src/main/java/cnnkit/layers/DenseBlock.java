package cnnkit.layers;

import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A DenseNet block (Huang et al., 2017): every layer sees the block input and the outputs of all
 * layers before it, stacked along the channels, and adds {@code growth} new maps of its own.
 *
 * <pre>
 *   f_0 = x                                   (in channels)
 *   f_i = layer_i(concat(f_0, ..., f_{i-1}))  (growth channels; layer i sees in + (i-1) * growth)
 *   y   = concat(f_0, f_1, ..., f_L)
 * </pre>
 * {@code x (N, in, H, W) -> (N, in + layers * growth, H, W)}. The layers are {@link DenseLayer}s
 * (with or without batch normalisation). Params: layer 1's, then
 * layer 2's, and so on. Caches the channel count of each f_i; the layers cache their own inputs.
 *
 * <p>Backward. A feature map f_k is read by the output concatenation and by every later layer
 * i > k, so dL/df_k is the SUM of the part of dOut that belongs to f_k and one share from each
 * later layer's input gradient. Walking the layers from last to first makes this easy: when layer
 * i is reached, every reader of f_i has already sent its share, so dL/df_i is complete and can go
 * back through layer i; the gradient that comes out belongs to concat(f_0, ..., f_{i-1}), and is
 * split by channels and added to those maps' running totals. At the end the total of f_0 is dX.
 */
public class DenseBlock extends CompositeLayer {
    private final int in;
    private final int growth;
    private final boolean batchNorm;
    private final List<DenseLayer> layers = new ArrayList<>();
    /** Channel counts of f_0 ... f_L: in, growth, growth, ... */
    private final int[] featureChannels;

    public DenseBlock(int layers, int in, int growth) {
        this(layers, in, growth, false, new Random(Init.DEFAULT_SEED));
    }

    public DenseBlock(int layers, int in, int growth, boolean batchNorm) {
        this(layers, in, growth, batchNorm, new Random(Init.DEFAULT_SEED));
    }

    /** Weights drawn from {@code rng}, layer by layer. */
    public DenseBlock(int layers, int in, int growth, boolean batchNorm, Random rng) {
        if (layers <= 0 || in <= 0 || growth <= 0) {
            throw new IllegalArgumentException("DenseBlock: need positive layers, in and growth, got layers=" + layers
                    + " in=" + in + " growth=" + growth);
        }
        this.in = in;
        this.growth = growth;
        this.batchNorm = batchNorm;
        this.featureChannels = new int[layers + 1];
        featureChannels[0] = in;
        for (int i = 1; i <= layers; i++) {
            this.layers.add(part(new DenseLayer(in + (i - 1) * growth, growth, batchNorm, rng)));
            featureChannels[i] = growth;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        ShapeCheck.image(this, x, in);
        List<Tensor> features = new ArrayList<>();
        features.add(x);                                                  // f_0
        for (DenseLayer layer : layers) {
            features.add(layer.forward(Concat.concat(features)));        // f_i from everything so far
        }
        Tensor y = Concat.concat(features);
        return keepOutputShape(y);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        checkDOut(dOut);
        // Running totals of dL/df_k, starting with what the output concatenation sends each map.
        List<Tensor> dFeature = Concat.split(dOut, featureChannels);
        for (int i = layers.size(); i >= 1; i--) {
            // Everything that reads f_i (the output and layers i+1..L) has been accounted for.
            Tensor dInput = layers.get(i - 1).backward(dFeature.get(i));
            // Layer i read concat(f_0, ..., f_{i-1}): give each of those maps its share.
            List<Tensor> shares = Concat.split(dInput, Arrays.copyOfRange(featureChannels, 0, i));
            for (int k = 0; k < i; k++) {
                dFeature.get(k).addInPlace(shares.get(k));
            }
        }
        return dFeature.get(0);
    }

    /** in + layers * growth. */
    public int outChannels() {
        return in + layers.size() * growth;
    }

    @Override
    public String toString() {
        return "DenseBlock(" + layers.size() + " layers, " + in + "->" + outChannels() + ", growth=" + growth
                + (batchNorm ? ", bn" : "") + ")";
    }
}
