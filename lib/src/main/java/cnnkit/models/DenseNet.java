package cnnkit.models;

import cnnkit.layers.BatchNorm2D;
import cnnkit.layers.BiasFreeConv2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.DenseBlock;
import cnnkit.layers.GlobalAvgPool2D;
import cnnkit.layers.ReLU;
import cnnkit.layers.TransitionLayer;
import java.util.Random;

/**
 * A small DenseNet-BC (Huang et al., 2017) for 32x32 images such as CIFAR-10: two
 * {@link DenseBlock}s of three bottleneck layers with growth rate 12, joined by a
 * {@link TransitionLayer} that halves the channels (compression 0.5) and the resolution. "BC" names
 * exactly these two choices: <b>B</b>ottleneck layers (a 1x1 convolution to 4 * growth channels
 * before each 3x3) and <b>C</b>ompression in the transitions.
 *
 * <pre>
 * stem        conv 3x3 pad 1, 16                                  32x32, 16 channels
 * block1      3 dense layers, growth 12: 16 + 3 * 12            = 52 channels
 * transition  ReLU, conv 1x1 52 -> 26, 2x2 average pool             16x16, 26 channels
 * block2      3 dense layers, growth 12: 26 + 3 * 12            = 62 channels
 * ReLU   global average pool   fc 62 -> numClasses (logits)
 * </pre>
 * Parameters at width 1.0, 3x32x32, 10 classes: stem 448; block1 6,012 + 6,588 + 7,164 = 19,764;
 * transition 1,378; block2 6,492 + 7,068 + 7,644 = 21,204; fc 630; total 43,424.
 *
 * <p>{@link #build(ModelConfig)} is the paper's network, with batch normalisation: BN before every
 * ReLU in the dense and transition layers and before the final ReLU, and convolutions without
 * bias (every convolution's output reaches the loss only through some BN, which would cancel a
 * bias). {@link #build(ModelConfig, boolean) build(cfg, false)} is the same network without batch
 * normalisation ("DenseNet-BC without BN"), simpler to follow but not what the paper trains. Width multiplies
 * the stem's 16 channels and the growth rate 12 (the bottleneck stays 4 * growth); a transition
 * keeps floor(channels * 0.5). The smallest input is 2x2.
 */
public final class DenseNet {
    /** Channels kept by a transition layer. */
    public static final double COMPRESSION = 0.5;

    private DenseNet() {
    }

    /** DenseNet-BC as in the paper, with batch normalisation. */
    public static Model build(ModelConfig cfg) {
        return build(cfg, true);
    }

    /** DenseNet-BC with ({@code batchNorm}) or without batch normalisation. */
    public static Model build(ModelConfig cfg, boolean batchNorm) {
        return Model.build(batchNorm ? "DenseNet-BC" : "DenseNet-BC without BN", cfg,
                (net, c, rng) -> addLayers(net, c, rng, batchNorm));
    }

    private static void addLayers(Model net, ModelConfig cfg, Random rng, boolean batchNorm) {
        int growth = cfg.scale(12);
        int c = cfg.scale(16);
        net.add("stem", batchNorm ? new BiasFreeConv2D(cfg.inChannels(), c, 3, 1, 1, rng)
                : new Conv2D(cfg.inChannels(), c, 3, 1, 1, rng));
        DenseBlock block1 = new DenseBlock(3, c, growth, batchNorm, rng);
        net.add("block1", block1);
        c = block1.outChannels();
        int compressed = Math.max(1, (int) (c * COMPRESSION));
        net.add("transition1", new TransitionLayer(c, compressed, batchNorm, rng));
        DenseBlock block2 = new DenseBlock(3, compressed, growth, batchNorm, rng);
        net.add("block2", block2);
        c = block2.outChannels();
        if (batchNorm) {
            net.add("final_bn", new BatchNorm2D(c));
        }
        net.add("final_relu", new ReLU());
        net.add("gap", new GlobalAvgPool2D());
        net.add("fc", new Dense(c, cfg.numClasses(), rng));
    }
}
