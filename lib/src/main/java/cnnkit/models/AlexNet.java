package cnnkit.models;

import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Dropout;
import cnnkit.layers.Flatten;
import cnnkit.layers.LocalResponseNorm;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.ReLU;
import java.util.Random;

/**
 * AlexNet (Krizhevsky et al., 2012) scaled down for 32x32 images such as CIFAR-10: the paper's ingredients (ReLU, max pooling, local response normalisation
 * after the first two stages, five convolutions, dropout in the classifier) with 3x3 kernels,
 * 2x2 non-overlapping pooling and far fewer channels.
 *
 * <pre>
 * conv1 3x3 pad 1, 32    ReLU   pool1 2x2 max   LRN      32 -> 16
 * conv2 3x3 pad 1, 64    ReLU   pool2 2x2 max   LRN      16 -> 8
 * conv3 3x3 pad 1, 128   ReLU
 * conv4 3x3 pad 1, 128   ReLU
 * conv5 3x3 pad 1, 64    ReLU   pool3 2x2 max            8 -> 4
 * flatten 64*4*4 = 1024
 * fc1 1024 -> 512  ReLU  dropout (keep 0.5)
 * fc2 512 -> 512   ReLU  dropout (keep 0.5)
 * fc3 512 -> numClasses (logits)
 * </pre>
 * LRN uses n = 5, alpha = 1e-4, beta = 0.75, k = 2. Parameters at width 1.0, 3x32x32, 10 classes:
 * 896 + 18,496 + 73,856 + 147,584 + 73,792 + 524,800 + 262,656 + 5,130 = 1,107,210. Width
 * multiplies every channel count and the 512 hidden units; the flatten size follows the input
 * size (28x28 gives 3x3 maps, 576 features). The smallest input is 8x8. Each dropout layer gets its
 * own seed from the model's random stream; call {@code eval()} before testing.
 *
 * <p>No final softmax layer: the loss applies it to the logits. The LRN layer has a true backward
 * pass.
 */
public final class AlexNet {
    private AlexNet() {
    }

    public static Model build(ModelConfig cfg) {
        return Model.build("AlexNet", cfg, AlexNet::addLayers);
    }

    private static void addLayers(Model net, ModelConfig cfg, Random rng) {
        int c1 = cfg.scale(32);
        int c2 = cfg.scale(64);
        int c3 = cfg.scale(128);
        int c4 = cfg.scale(128);
        int c5 = cfg.scale(64);
        net.add("conv1", new Conv2D(cfg.inChannels(), c1, 3, 1, 1, rng)).add("relu1", new ReLU())
                .add("pool1", new MaxPool2D(2, 2)).add("lrn1", new LocalResponseNorm());
        net.add("conv2", new Conv2D(c1, c2, 3, 1, 1, rng)).add("relu2", new ReLU())
                .add("pool2", new MaxPool2D(2, 2)).add("lrn2", new LocalResponseNorm());
        net.add("conv3", new Conv2D(c2, c3, 3, 1, 1, rng)).add("relu3", new ReLU());
        net.add("conv4", new Conv2D(c3, c4, 3, 1, 1, rng)).add("relu4", new ReLU());
        net.add("conv5", new Conv2D(c4, c5, 3, 1, 1, rng)).add("relu5", new ReLU())
                .add("pool3", new MaxPool2D(2, 2));
        net.add("flatten", new Flatten());
        int hidden = cfg.scale(512);
        net.add("fc1", new Dense(net.outputSize(), hidden, rng)).add("relu6", new ReLU())
                .add("drop1", new Dropout(0.5, rng.nextLong()));
        net.add("fc2", new Dense(hidden, hidden, rng)).add("relu7", new ReLU())
                .add("drop2", new Dropout(0.5, rng.nextLong()));
        net.add("fc3", new Dense(hidden, cfg.numClasses(), rng));
    }
}
