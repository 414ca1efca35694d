package cnnkit.models;

import java.util.List;

/**
 * One-line factories for the model zoo, for notebooks:
 *
 * <pre>{@code
 * Model net = Models.lenet5(1, 32, 10, 1.0, 42);      // inChannels, inputSize, numClasses, width, seed
 * System.out.println(net.summary());
 * Model small = Models.resnet(1, 28, 10, 0.25, 7);    // a quarter of the channels, Fashion-MNIST size
 * Model any = Models.build("densenet", ModelConfig.of(1, 28, 10).withWidth(0.5));
 * }</pre>
 * Every model returns logits (N, numClasses); pair it with {@code SoftmaxCrossEntropy}. Each
 * factory is the same as the family's {@code build(ModelConfig)}, e.g. {@link LeNet5#build}.
 */
public final class Models {
    /** The names {@link #build(String, ModelConfig)} understands. */
    public static final List<String> NAMES = List.of("lenet5", "alexnet", "vgg11", "googlenet", "resnet", "resnet-bn",
            "densenet", "densenet-bc");

    private Models() {
    }

    public static Model lenet5(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return LeNet5.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    public static Model alexnet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return AlexNet.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** Needs inputSize >= 32 (five 2x2 poolings). */
    public static Model vgg11(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return VGG11.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    public static Model googlenet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return GoogLeNet.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** The notebook's ResNet-14, without batch normalisation. */
    public static Model resnet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return ResNet.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed), false);
    }

    /** ResNet-14 with batch normalisation after every convolution. */
    public static Model resnetBN(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return ResNet.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed), true);
    }

    /** The notebook's DenseNet, without batch normalisation. */
    public static Model densenet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return DenseNet.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed), false);
    }

    /** DenseNet with batch normalisation (the DenseNet-BC layout). */
    public static Model densenetBC(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return DenseNet.build(new ModelConfig(inChannels, inputSize, numClasses, width, seed), true);
    }

    /** Builds the model called {@code name} (one of {@link #NAMES}, case-insensitive). */
    public static Model build(String name, ModelConfig cfg) {
        return switch (name.toLowerCase()) {
            case "lenet5", "lenet-5" -> LeNet5.build(cfg);
            case "alexnet" -> AlexNet.build(cfg);
            case "vgg11", "vgg-11" -> VGG11.build(cfg);
            case "googlenet" -> GoogLeNet.build(cfg);
            case "resnet" -> ResNet.build(cfg, false);
            case "resnet-bn", "resnetbn" -> ResNet.build(cfg, true);
            case "densenet" -> DenseNet.build(cfg, false);
            case "densenet-bc", "densenetbc" -> DenseNet.build(cfg, true);
            default -> throw new IllegalArgumentException("Models.build: unknown model '" + name + "', expected one of "
                    + NAMES);
        };
    }
}
