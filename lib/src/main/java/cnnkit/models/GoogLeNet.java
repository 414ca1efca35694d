package cnnkit.models;

import cnnkit.layers.GlobalAvgPool2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.Flatten;
import cnnkit.layers.InceptionModule;
import cnnkit.layers.MaxPool2D;
import cnnkit.layers.ReLU;
import java.util.Random;

/**
 * A small GoogLeNet (Szegedy et al., 2014) for 32x32 images such as CIFAR-10: a convolutional stem, two {@link InceptionModule}s, and global average pooling
 * instead of large fully connected layers.
 *
 * <pre>
 * stem   conv1 3x3 pad 1, 32  ReLU   conv2 3x3 pad 1, 64  ReLU   pool1 3x3 max, stride 2   32 -> 15
 * inception1  in 64:  1x1 32 | 1x1 16 -> 3x3 64 | 1x1 8 -> 5x5 16 | pool -> 1x1 16   = 128 channels
 * inception2  in 128: 1x1 64 | 1x1 32 -> 3x3 96 | 1x1 16 -> 5x5 32 | pool -> 1x1 32  = 224 channels
 * pool2  3x3 max, stride 2                                                                15 -> 7
 * avgpool (global: the whole 7x7 map)   flatten 224   fc 224 -> numClasses (logits)
 * </pre>
 * Parameters at width 1.0, 3x32x32, 10 classes: stem 896 + 18,496; inception1 2,080 + 1,040 +
 * 9,280 + 520 + 3,216 + 1,040 = 17,176; inception2 8,256 + 4,128 + 27,744 + 2,064 + 12,832 +
 * 4,128 = 59,152; fc 2,250; total 97,970.
 *
 * <p>The final average pool covers whatever map is left (7x7 for 32x32 input, 6x6 for 28x28):
 * global average pooling. Width multiplies every channel count. The smallest input is 7x7.
 * Inside the modules a ReLU follows every convolution and the pool branch pads with minus
 * infinity; see {@link InceptionModule} for why.
 */
public final class GoogLeNet {
    private GoogLeNet() {
    }

    public static Model build(ModelConfig cfg) {
        return Model.build("GoogLeNet", cfg, GoogLeNet::addLayers);
    }

    private static void addLayers(Model net, ModelConfig cfg, Random rng) {
        int s1 = cfg.scale(32);
        int s2 = cfg.scale(64);
        net.add("conv1", new Conv2D(cfg.inChannels(), s1, 3, 1, 1, rng)).add("relu1", new ReLU());
        net.add("conv2", new Conv2D(s1, s2, 3, 1, 1, rng)).add("relu2", new ReLU());
        net.add("pool1", new MaxPool2D(3, 2));
        InceptionModule inception1 = inception(cfg, s2, 32, 16, 64, 8, 16, 16, rng);
        net.add("inception1", inception1);
        InceptionModule inception2 = inception(cfg, inception1.outChannels(), 64, 32, 96, 16, 32, 32, rng);
        net.add("inception2", inception2);
        net.add("pool2", new MaxPool2D(3, 2));
        net.add("avgpool", new GlobalAvgPool2D());
        net.add("flatten", new Flatten());
        net.add("fc", new Dense(net.outputSize(), cfg.numClasses(), rng));
    }

    /** An Inception module with the channel counts above multiplied by the width. */
    private static InceptionModule inception(ModelConfig cfg, int in, int c1, int c3r, int c3, int c5r, int c5,
            int pool, Random rng) {
        return new InceptionModule(in, cfg.scale(c1), cfg.scale(c3r), cfg.scale(c3), cfg.scale(c5r), cfg.scale(c5),
                cfg.scale(pool), rng);
    }
}
