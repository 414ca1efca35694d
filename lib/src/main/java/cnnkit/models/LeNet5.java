package cnnkit.models;

import cnnkit.layers.AvgPool2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.Init;
import cnnkit.layers.Tanh;
import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * LeNet-5 (LeCun et al., 1998) for MNIST padded to 32x32:
 *
 * <pre>
 * conv1  5x5, 6 maps       32 -> 28     tanh   pool1  2x2 average, stride 2   28 -> 14
 * conv2  5x5, 16 maps      14 -> 10     tanh   pool2  2x2 average, stride 2   10 -> 5
 * flatten 16*5*5 = 400
 * fc1    400 -> 120  tanh
 * fc2    120 -> 84   tanh
 * fc3    84 -> numClasses (logits)
 * </pre>
 *
 * Parameters at width 1.0, one input channel, 10 classes: 156 + 2,416 + 48,120 + 10,164 + 850
 * = 61,706. On 28x28 input (Fashion-MNIST without padding) the maps are 24, 12, 8, 4 and fc1
 * takes 16*4*4 = 256 features: the flatten size is computed from the input size. Width multiplies
 * 6, 16, 120 and 84. The smallest input is 16x16.
 *
 * <p>The weights are Xavier (Glorot) normal, suited to tanh, rather than the He initialisation
 * the layers use by default (which suits ReLU).
 *
 * <p>The model returns logits, and
 * {@code SoftmaxCrossEntropy} applies the softmax together with the loss, whose combined gradient
 * is the simple (p - y) / N.
 */
public final class LeNet5 {
    private LeNet5() {
    }

    public static Model build(ModelConfig cfg) {
        return Model.build("LeNet-5", cfg, LeNet5::addLayers);
    }

    private static void addLayers(Model net, ModelConfig cfg, Random rng) {
        int c1 = cfg.scale(6);
        int c2 = cfg.scale(16);
        net.add("conv1", xavier(new Conv2D(cfg.inChannels(), c1, 5, 1, 0, rng), rng)).add("tanh1", new Tanh())
                .add("pool1", new AvgPool2D(2, 2));
        net.add("conv2", xavier(new Conv2D(c1, c2, 5, 1, 0, rng), rng)).add("tanh2", new Tanh())
                .add("pool2", new AvgPool2D(2, 2));
        net.add("flatten", new Flatten());
        int f1 = cfg.scale(120);
        int f2 = cfg.scale(84);
        net.add("fc1", xavier(new Dense(net.outputSize(), f1, rng), rng)).add("tanh3", new Tanh());
        net.add("fc2", xavier(new Dense(f1, f2, rng), rng)).add("tanh4", new Tanh());
        net.add("fc3", xavier(new Dense(f2, cfg.numClasses(), rng), rng));
    }

    /**
     * Replaces a convolution's weights with Xavier (Glorot) normal ones, std = sqrt(2 / (fanIn + fanOut)):
     * tanh passes small values through almost unchanged, so keeping the variance of the signal
     * steady needs about 1 / fan, not He's 2 / fanIn, which makes up for ReLU zeroing half its inputs.
     */
    private static Conv2D xavier(Conv2D conv, Random rng) {
        int window = conv.kernel() * conv.kernel();
        Tensor w = Init.xavierNormal(rng, conv.inChannels() * window, conv.outChannels() * window,
                conv.weight().shape());
        System.arraycopy(w.data(), 0, conv.weight().value().data(), 0, w.size());
        return conv;
    }

    /** Xavier (Glorot) normal weights for a fully connected layer (in, out), for the same reason. */
    private static Dense xavier(Dense dense, Random rng) {
        int[] shape = dense.weight().shape();
        Tensor w = Init.xavierNormal(rng, shape[0], shape[1], shape);
        System.arraycopy(w.data(), 0, dense.weight().value().data(), 0, w.size());
        return dense;
    }
}
