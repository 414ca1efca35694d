package cnnkit.layers;

import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Layers applied one after another. Forward runs them in order; backward runs their
 * backward passes in reverse, each receiving the gradient the next one returned.
 *
 * <p>An error inside a layer says where it happened: {@code "layer 4 of 9, Conv2D(8->8, ...): ..."}
 * (with the layer's name too in a named {@code Model}). Backward refuses to run unless forward
 * ran on this network since it was built or last summarised, so that caches left by a shape
 * probe are never mistaken for a real forward pass.
 */
public class Sequential extends CompositeLayer {
    /** Whether forward has run through the whole network since the last probe (build or summary). */
    private boolean forwardDone;

    public Sequential(Layer... layers) {
        this(Arrays.asList(layers));
    }

    public Sequential(List<Layer> layers) {
        layers.forEach(this::part);
    }

    public Sequential add(Layer layer) {
        part(layer);
        return this;
    }

    public List<Layer> layers() {
        return parts();
    }

    public Layer get(int i) {
        return part(i);
    }

    public int size() {
        return partCount();
    }

    @Override
    public Tensor forward(Tensor x) {
        forwardDone = false;
        Tensor out = x;
        for (int i = 0; i < size(); i++) {
            out = at(i, out, true);
        }
        forwardDone = true;
        return out;
    }

    /**
     * Runs backward through the layers in reverse. Called through {@link #backwardParamsOnly}, the
     * first layer is asked only for its parameter gradients and null is returned: the gradient
     * with respect to the network's input is never computed.
     */
    @Override
    public Tensor backward(Tensor dOut) {
        if (!forwardDone) {
            throw new IllegalStateException(this + ": backward called before forward (run forward on the batch first;"
                    + " building or summarising the network does not count)");
        }
        Tensor grad = dOut;
        for (int i = size() - 1; i >= 1; i--) {
            grad = at(i, grad, false);
        }
        if (size() == 0) {
            return grad;
        }
        return inputGradientWanted() ? at(0, grad, false) : at(0, grad, false, true);
    }

    private Tensor at(int i, Tensor t, boolean forward) {
        return at(i, t, forward, false);
    }

    /** The layers' size arithmetic run backwards, from the last layer to the first. */
    @Override
    public int minInputSize(int outputSize) {
        int needed = outputSize;
        for (int i = size() - 1; i >= 0; i--) {
            needed = get(i).minInputSize(needed);
        }
        return needed;
    }

    /** Runs layer i's forward or backward; an error from it is given the layer's position. */
    private Tensor at(int i, Tensor t, boolean forward, boolean paramsOnly) {
        Layer layer = get(i);
        try {
            if (paramsOnly) {
                layer.backwardParamsOnly(t);
                return null;
            }
            return forward ? layer.forward(t) : layer.backward(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(i, e.getMessage()), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(where(i, e.getMessage()), e);
        }
    }

    /** "layer 4 of 9, Conv2D(8->8, ...): message", with the layer described once. */
    private String where(int i, String message) {
        String layer = get(i).toString();
        String what = message != null && message.startsWith(layer) ? message : layer + ": " + message;
        return "layer " + (i + 1) + " of " + size() + describe(i) + ", " + what;
    }

    /** What follows "layer i of n" in an error: empty here; a named model adds the layer's name. */
    protected String describe(int i) {
        return "";
    }

    /** Marks the caches as left by a probe (a build or a summary), not by a forward pass backward may use. */
    protected final void forgetForward() {
        forwardDone = false;
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
            forgetForward();
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
        for (int i = 0; i < size(); i++) {
            Layer layer = get(i);
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
        return "Sequential(" + size() + " layers)";
    }
}
