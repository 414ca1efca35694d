package cnnkit.models;

import cnnkit.layers.BatchNorm2D;
import cnnkit.layers.BiasFreeConv2D;
import cnnkit.layers.Conv2D;
import cnnkit.layers.Dense;
import cnnkit.layers.GlobalAvgPool2D;
import cnnkit.layers.ReLU;
import cnnkit.layers.ResidualBlock;
import java.util.Random;

/**
 * A small ResNet (He et al., 2015) for 32x32 images such as CIFAR-10: the paper's CIFAR design with n = 2, i.e. three stages of two {@link ResidualBlock}s
 * with 16, 32 and 64 channels, 6n + 2 = 14 weight layers (ResNet-14).
 *
 * <pre>
 * stem    conv 3x3 pad 1, 16                                       32x32
 * stage1  block(16 -> 16), block(16 -> 16)                         32x32
 * stage2  block(16 -> 32, stride 2, projection), block(32 -> 32)   16x16
 * stage3  block(32 -> 64, stride 2, projection), block(64 -> 64)    8x8
 * global average pool   fc 64 -> numClasses (logits)
 * </pre>
 * Parameters at width 1.0, 3x32x32, 10 classes (no batch norm): stem 448; stage1 2 * 4,640;
 * stage2 14,432 + 18,496; stage3 57,536 + 73,856; fc 650; total 174,698.
 *
 * <p>{@link #build(ModelConfig)} is the plain network: no batch normalisation, and the stem is a
 * bare convolution (no ReLU after it). {@link #build(ModelConfig, boolean)
 * build(cfg, true)} is the paper's version with batch normalisation: stem conv-BN-ReLU, BN after
 * every convolution in the blocks, and no convolution bias in front of a BN (it would be
 * cancelled); total 175,258 at width 1.0. Width multiplies 16, 32 and 64. Any input size of at
 * least 1 works: global average pooling takes whatever map is left.
 */
public final class ResNet {
    private ResNet() {
    }

    /** ResNet-14 without batch normalisation. */
    public static Model build(ModelConfig cfg) {
        return build(cfg, false);
    }

    public static Model build(ModelConfig cfg, boolean batchNorm) {
        return Model.build(batchNorm ? "ResNet-14-BN" : "ResNet-14", cfg,
                (net, c, rng) -> addLayers(net, c, rng, batchNorm));
    }

    private static void addLayers(Model net, ModelConfig cfg, Random rng, boolean batchNorm) {
        int c1 = cfg.scale(16);
        int c2 = cfg.scale(32);
        int c3 = cfg.scale(64);
        if (batchNorm) {
            net.add("stem", new BiasFreeConv2D(cfg.inChannels(), c1, 3, 1, 1, rng))
                    .add("stem_bn", new BatchNorm2D(c1)).add("stem_relu", new ReLU());
        } else {
            net.add("stem", new Conv2D(cfg.inChannels(), c1, 3, 1, 1, rng));
        }
        stage(net, "stage1", c1, c1, 1, batchNorm, rng);
        stage(net, "stage2", c1, c2, 2, batchNorm, rng);
        stage(net, "stage3", c2, c3, 2, batchNorm, rng);
        net.add("gap", new GlobalAvgPool2D());
        net.add("fc", new Dense(c3, cfg.numClasses(), rng));
    }

    /** Two blocks; the first may change the channels and the resolution, the second keeps them. */
    private static void stage(Model net, String name, int in, int out, int stride, boolean batchNorm, Random rng) {
        net.add(name + ".block1", new ResidualBlock(in, out, stride, batchNorm, rng));
        net.add(name + ".block2", new ResidualBlock(out, out, 1, batchNorm, rng));
    }
}
