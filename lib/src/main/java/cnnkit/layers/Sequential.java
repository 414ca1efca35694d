package cnnkit.layers;

import cnnkit.tensor.Param;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Layers applied one after another. Forward runs them in order; backward runs their
 * backward passes in reverse, each receiving the gradient the next one returned.
 */
public class Sequential extends Layer {
    private final List<Layer> layers;

    public Sequential(Layer... layers) {
        this(Arrays.asList(layers));
    }

    public Sequential(List<Layer> layers) {
        this.layers = new ArrayList<>(layers);
    }

    public Sequential add(Layer layer) {
        layers.add(layer);
        return this;
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public Layer get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = x;
        for (Layer layer : layers) {
            out = layer.forward(out);
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor grad = dOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            grad = layers.get(i).backward(grad);
        }
        return grad;
    }

    /**
     * Backward through every layer but the first, which is asked only for its parameter
     * gradients: the gradient with respect to the network's input is never computed.
     */
    @Override
    public void backwardParamsOnly(Tensor dOut) {
        Tensor grad = dOut;
        for (int i = layers.size() - 1; i >= 1; i--) {
            grad = layers.get(i).backward(grad);
        }
        if (!layers.isEmpty()) {
            layers.get(0).backwardParamsOnly(grad);
        }
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.params());
        }
        return all;
    }

    @Override
    public void train() {
        super.train();
        layers.forEach(Layer::train);
    }

    @Override
    public void eval() {
        super.eval();
        layers.forEach(Layer::eval);
    }

    /**
     * A table of every layer with its output shape and parameter count, and the totals,
     * found by running one zero batch of {@code inputShape} through the network. The batch runs in
     * evaluation mode (and the previous mode is restored), so that it cannot move batch-norm running
     * statistics or need more than one image per batch.
     */
    public String summary(int... inputShape) {
        boolean wasTraining = isTraining();
        eval();
        try {
            return summaryTable(inputShape);
        } finally {
            if (wasTraining) {
                train();
            }
        }
    }

    private String summaryTable(int[] inputShape) {
        StringBuilder sb = new StringBuilder();
        String row = "%-3s %-44s %-20s %12s%n";
        sb.append(String.format(row, "#", "layer", "output shape", "params"));
        sb.append("-".repeat(82)).append('\n');
        Tensor x = Tensor.zeros(inputShape);
        sb.append(String.format(row, "", "input", Shape.str(inputShape), ""));
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            x = layer.forward(x);
            total += layer.paramCount();
            sb.append(String.format(row, i, layer, Shape.str(x.shape()), String.format("%,d", layer.paramCount())));
        }
        sb.append("-".repeat(82)).append('\n');
        sb.append(String.format("total parameters: %,d%n", total));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Sequential(" + layers.size() + " layers)";
    }
}
