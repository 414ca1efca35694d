package cnnkit.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The model zoo by name, and one-line factories for notebooks:
 *
 * <pre>{@code
 * Model net = Models.lenet5(1, 32, 10, 1.0, 42);      // inChannels, inputSize, numClasses, width, seed
 * System.out.println(net.summary());
 * Model small = Models.resnet(1, 28, 10, 0.25, 7);    // a quarter of the channels, Fashion-MNIST size
 * Model any = Models.build("densenet-bc", ModelConfig.of(1, 28, 10).withWidth(0.5));
 * }</pre>
 * Every model returns logits (N, numClasses); pair it with {@code SoftmaxCrossEntropy}. Each model
 * has one recipe, its family's {@code build} (e.g. {@link LeNet5#build}); the table below names
 * them, {@link #NAMES} is its list of names, and every factory here goes through it.
 */
public final class Models {
    /** Each name with the recipe it builds, in the order of the tour. */
    private static final Map<String, Function<ModelConfig, Model>> ZOO = zoo();

    /** The names {@link #build(String, ModelConfig)} understands. */
    public static final List<String> NAMES = List.copyOf(ZOO.keySet());

    private Models() {
    }

    private static Map<String, Function<ModelConfig, Model>> zoo() {
        Map<String, Function<ModelConfig, Model>> m = new LinkedHashMap<>();
        m.put("lenet5", LeNet5::build);
        m.put("alexnet", AlexNet::build);
        m.put("vgg11", VGG11::build);
        m.put("googlenet", GoogLeNet::build);
        m.put("resnet", cfg -> ResNet.build(cfg, false));
        m.put("resnet-bn", cfg -> ResNet.build(cfg, true));
        m.put("densenet-bc", cfg -> DenseNet.build(cfg, true));
        m.put("densenet-bc-nobn", cfg -> DenseNet.build(cfg, false));
        return m;
    }

    /**
     * Builds the model called {@code name}, one of {@link #NAMES}; case and hyphens do not matter
     * ("LeNet-5" is "lenet5").
     */
    public static Model build(String name, ModelConfig cfg) {
        String key = normalise(name);
        for (var entry : ZOO.entrySet()) {
            if (normalise(entry.getKey()).equals(key)) {
                return entry.getValue().apply(cfg);
            }
        }
        throw new IllegalArgumentException("Models.build: unknown model '" + name + "', expected one of " + NAMES);
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    public static Model lenet5(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("lenet5", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    public static Model alexnet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("alexnet", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** Needs inputSize >= 32 (five 2x2 poolings). */
    public static Model vgg11(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("vgg11", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    public static Model googlenet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("googlenet", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** ResNet-14 without batch normalisation. */
    public static Model resnet(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("resnet", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** ResNet-14 with batch normalisation after every convolution. */
    public static Model resnetBN(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("resnet-bn", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** DenseNet-BC (bottleneck layers, compression 0.5) with batch normalisation, as in the paper. */
    public static Model densenetBC(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("densenet-bc", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }

    /** The same DenseNet-BC without batch normalisation. */
    public static Model densenetBCNoBN(int inChannels, int inputSize, int numClasses, double width, long seed) {
        return build("densenet-bc-nobn", new ModelConfig(inChannels, inputSize, numClasses, width, seed));
    }
}
