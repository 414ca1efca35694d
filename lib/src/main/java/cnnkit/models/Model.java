package cnnkit.models;

import cnnkit.layers.Layer;
import cnnkit.layers.Sequential;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A named network with a known input shape: a {@link Sequential} whose layers carry names
 * ({@code "conv1"}, {@code "pool1"}, ...), as the papers name them.
 *
 * <p>Because the model knows its input (N, C, S, S), it can tell the shape of the features after
 * every layer while it is being built ({@link #outputShape()}), so recipes compute the input size
 * of the first fully connected layer instead of hard-coding it, and an input that is too small
 * for the architecture fails at build time with the name of the layer that could not run it.
 * {@link #summary()} prints every layer with its output shape and parameter count.
 *
 * <p>The models of the zoo are made by {@link #build(String, ModelConfig, Recipe)} from a
 * {@link Recipe}; see {@link LeNet5}, {@link AlexNet}, {@link VGG11}, {@link GoogLeNet},
 * {@link ResNet}, {@link DenseNet}, or the one-line factories in {@link Models}.
 */
public class Model extends Sequential {
    /** Adds the layers of one architecture to an empty model, drawing every weight from {@code rng}. */
    @FunctionalInterface
    public interface Recipe {
        void addLayers(Model net, ModelConfig cfg, Random rng);
    }

    /**
     * A generous input size at which to lay out an architecture's layers when the requested one is
     * too small, so that the smallest size can be computed from them.
     */
    private static final int LAYOUT_SIZE = 512;

    private final String name;
    private final ModelConfig config;
    private final List<String> names = new ArrayList<>();
    /** The shape of one example after the layers added so far, batch axis included as 1. */
    private int[] featureShape;

    /** An empty model taking (N, cfg.inChannels, cfg.inputSize, cfg.inputSize). */
    public Model(String name, ModelConfig config) {
        super(List.of());
        this.name = name;
        this.config = config;
        this.featureShape = batchOfOne(config.inputShape());
    }

    /**
     * Builds the model {@code recipe} describes, with weights from {@code new Random(cfg.seed())}.
     * If the input is too small for the architecture, the exception names the layer that could not
     * run and the smallest input size that works.
     */
    public static Model build(String name, ModelConfig cfg, Recipe recipe) {
        try {
            return assemble(name, cfg, recipe);
        } catch (TooSmall e) {
            int smallest = smallestInputSize(name, cfg, recipe);
            String hint = smallest > 0 ? " The smallest input size " + name + " accepts is " + smallest + "."
                    : "";
            throw new IllegalArgumentException(e.getMessage() + hint, e);
        }
    }

    private static Model assemble(String name, ModelConfig cfg, Recipe recipe) {
        Model net = new Model(name, cfg);
        recipe.addLayers(net, cfg, cfg.newRandom());
        return net;
    }

    /**
     * The smallest input size {@code recipe} accepts, computed: the layers are laid out once, on a
     * one-channel-wide copy at a generous size (the spatial arithmetic ignores the width), and
     * their size arithmetic is run backwards from an output of one pixel
     * ({@link Layer#minInputSize}). -1 if even the generous size is too small.
     */
    private static int smallestInputSize(String name, ModelConfig cfg, Recipe recipe) {
        try {
            Model layout = assemble(name, cfg.withWidth(1e-9).withInputSize(LAYOUT_SIZE), recipe);
            return layout.minInputSize(1);
        } catch (TooSmall e) {
            return -1;
        }
    }

    /**
     * Appends {@code layer} under {@code layerName} and works out the feature shape after it by
     * running one zero example through it (in evaluation mode, so that no dropout mask is drawn
     * and no batch-norm statistic moves).
     */
    public Model add(String layerName, Layer layer) {
        int[] in = featureShape;
        boolean wasTraining = layer.isTraining();
        layer.eval();
        try {
            featureShape = layer.forward(Tensor.zeros(in)).shape();
        } catch (IllegalArgumentException e) {
            throw new TooSmall(name + " cannot take input " + Shape.str(config.inputShape()) + ": layer '" + layerName
                    + "' " + layer + " cannot run on features of shape " + batchStr(in) + " (" + e.getMessage() + ").", e);
        } finally {
            if (wasTraining) {
                layer.train();
            }
        }
        names.add(layerName);
        super.add(layer);
        return this;
    }

    /** Appends {@code layer} named after its class in lower case, e.g. {@code "relu"}. */
    @Override
    public Model add(Layer layer) {
        return add(layer.getClass().getSimpleName().toLowerCase(), layer);
    }

    /** The shape of one example's features after the layers added so far, without the batch axis. */
    public int[] outputShape() {
        return Arrays.copyOfRange(featureShape, 1, featureShape.length);
    }

    /** The number of features per example after the layers added so far, e.g. what a Flatten gives. */
    public int outputSize() {
        return Shape.size(outputShape());
    }

    public String name() {
        return name;
    }

    public ModelConfig config() {
        return config;
    }

    /** (C, S, S), the shape of one input example. */
    public int[] inputShape() {
        return config.inputShape();
    }

    /** The layer names, in order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The layer called {@code layerName}. */
    public Layer layer(String layerName) {
        int i = names.indexOf(layerName);
        if (i < 0) {
            throw new IllegalArgumentException(name + ": no layer named '" + layerName + "'; layers are " + names);
        }
        return get(i);
    }

    /** Checks the input is (N, C, S, S) as configured, then runs the layers. */
    @Override
    public Tensor forward(Tensor x) {
        int[] want = config.inputShape();
        if (x.rank() != 4 || x.dim(1) != want[0] || x.dim(2) != want[1] || x.dim(3) != want[2]) {
            throw new IllegalArgumentException(name + ": expected input (N, " + want[0] + ", " + want[1] + ", " + want[2]
                    + "), got " + Shape.str(x.shape()));
        }
        return super.forward(x);
    }

    /**
     * A table with one row per layer (name, layer with its hyper-parameters, output shape, parameter
     * count) and the total. Composite blocks (residual, Inception, dense) are one row each. The
     * shapes come from one zero example run in evaluation mode; the training mode is restored after.
     */
    public String summary() {
        boolean wasTraining = isTraining();
        eval();
        try {
            return table();
        } finally {
            forgetForward();
            if (wasTraining) {
                train();
            }
        }
    }

    /** The layer's name, for errors: "layer 4 of 9 'conv2', Conv2D(...): ...". */
    @Override
    protected String describe(int i) {
        return " '" + names.get(i) + "'";
    }

    private String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "name", "layer", "output shape", "params"});
        rows.add(new String[] {"", "input", "", batchStr(batchOfOne(inputShape())), ""});
        Tensor x = Tensor.zeros(batchOfOne(inputShape()));
        for (int i = 0; i < size(); i++) {
            Layer layer = get(i);
            x = layer.forward(x);
            rows.add(new String[] {Integer.toString(i), names.get(i), layer.toString(), batchStr(x.shape()),
                String.format("%,d", layer.paramCount())});
        }
        int[] w = new int[5];
        for (String[] r : rows) {
            for (int c = 0; c < 5; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        String format = "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %-" + w[3] + "s  %" + w[4] + "s%n";
        String rule = "-".repeat(w[0] + w[1] + w[2] + w[3] + w[4] + 8) + "\n";
        StringBuilder sb = new StringBuilder(name + ", " + config + "\n");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(String.format(format, (Object[]) rows.get(i)));
            if (i == 0) {
                sb.append(rule);
            }
        }
        sb.append(rule).append(String.format("total parameters: %,d%n", paramCount()));
        return sb.toString();
    }

    /** (1, 6, 28, 28) printed as (N, 6, 28, 28). */
    private static String batchStr(int[] shape) {
        StringBuilder sb = new StringBuilder("(N");
        for (int i = 1; i < shape.length; i++) {
            sb.append(", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private static int[] batchOfOne(int[] example) {
        int[] s = new int[example.length + 1];
        s[0] = 1;
        System.arraycopy(example, 0, s, 1, example.length);
        return s;
    }

    @Override
    public String toString() {
        return name + "(" + size() + " layers, " + String.format("%,d", paramCount()) + " parameters)";
    }

    /** A layer could not run on the features the layers before it produce. */
    private static final class TooSmall extends IllegalArgumentException {
        TooSmall(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
