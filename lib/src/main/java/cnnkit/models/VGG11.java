package cnnkit.models;

import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.ReLU;
import java.util.Random;

/**
 * VGG-11 (Simonyan and Zisserman, 2014, configuration "A") for 32x32 images such as CIFAR-10: only 3x3 convolutions with padding 1 (which keep the size) and
 * 2x2 max pooling (which halves it), the channels doubling from 64 to 512.
 *
 * <pre>
 * stage 1  conv1   64                         pool1   32 -> 16
 * stage 2  conv2   128                        pool2   16 -> 8
 * stage 3  conv3_1 256, conv3_2 256           pool3   8 -> 4
 * stage 4  conv4_1 512, conv4_2 512           pool4   4 -> 2
 * stage 5  conv5_1 512, conv5_2 512           pool5   2 -> 1
 * (every conv is 3x3, padding 1, followed by ReLU)
 * flatten 512*1*1 = 512
 * fc1 512 -> 512  ReLU
 * fc2 512 -> numClasses (logits)
 * </pre>
 * Parameters at width 1.0, 3x32x32, 10 classes: 1,792 + 73,856 + 295,168 + 590,080 + 1,180,160
 * + 3 * 2,359,808 + 262,656 + 5,130 = 9,488,266.
 *
 * <p>The classifier is one hidden layer of 512 instead of the paper's two of
 * 4096 (the paper's 11 weight layers become 10). Width multiplies every channel count and the 512
 * hidden units. Five halvings need at least 32x32: Fashion-MNIST's 28x28 images must be padded to
 * 32x32 (as LeNet-5's MNIST input was), and a smaller input fails with that minimum in the message.
 */
public final class VGG11 {
    private VGG11() {
    }

    public static Model build(ModelConfig cfg) {
        return Model.build("VGG-11", cfg, VGG11::addLayers);
    }

    private static void addLayers(Model net, ModelConfig cfg, Random rng) {
        int c = cfg.inChannels();
        c = conv(net, "conv1", c, cfg.scale(64), rng);
        net.add("pool1", new MaxPool2D(2, 2));
        c = conv(net, "conv2", c, cfg.scale(128), rng);
        net.add("pool2", new MaxPool2D(2, 2));
        c = conv(net, "conv3_1", c, cfg.scale(256), rng);
        c = conv(net, "conv3_2", c, cfg.scale(256), rng);
        net.add("pool3", new MaxPool2D(2, 2));
        c = conv(net, "conv4_1", c, cfg.scale(512), rng);
        c = conv(net, "conv4_2", c, cfg.scale(512), rng);
        net.add("pool4", new MaxPool2D(2, 2));
        c = conv(net, "conv5_1", c, cfg.scale(512), rng);
        conv(net, "conv5_2", c, cfg.scale(512), rng);
        net.add("pool5", new MaxPool2D(2, 2));
        net.add("flatten", new Flatten());
        int hidden = cfg.scale(512);
        net.add("fc1", new Dense(net.outputSize(), hidden, rng)).add("relu_fc1", new ReLU());
        net.add("fc2", new Dense(hidden, cfg.numClasses(), rng));
    }

    /** A 3x3 convolution with padding 1 and its ReLU; returns the new channel count. */
    private static int conv(Model net, String name, int in, int out, Random rng) {
        net.add(name, new Conv2D(in, out, 3, 1, 1, rng)).add("relu_" + name, new ReLU());
        return out;
    }
}
