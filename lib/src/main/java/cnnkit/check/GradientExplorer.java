package cnnkit.check;

import cnnkit.layers.Layer;
import cnnkit.layers.Sequential;
import cnnkit.tensor.Param;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Follows one forward and one backward pass through a list of layers and records, for every
 * layer, the size of its output and of the gradient that flows back into that output. A chart
 * of the gradient norms shows at a glance whether gradients vanish or explode on their way
 * back to the first layers.
 *
 * <p>The loss is {@code L = sum(out * R)} for a fixed random R (so dL/d out = R), as in
 * {@link GradCheck}, or any dL/d out the caller supplies. The layers run in whatever mode they
 * are in: in training mode batch normalisation updates its running statistics and dropout draws
 * a mask, as in a training step. No weights change, but parameter gradients are zeroed first and
 * afterwards hold this pass's gradients.
 */
public final class GradientExplorer {
    private GradientExplorer() {
    }

    /**
     * Explores {@code net} (its layers if it is a {@link Sequential}, otherwise the one layer) on a
     * standard normal input of {@code inputShape}. One {@code Random(seed)} draws the input and
     * then R, so the same seed gives the same table.
     */
    public static GradientTable explore(Layer net, long seed, int... inputShape) {
        Random rng = new Random(seed);
        Tensor x = Tensor.randn(rng, inputShape);
        List<Layer> layers = layersOf(net);
        List<Tensor> outputs = forward(layers, x);
        Tensor r = Tensor.randn(rng, last(outputs, x).shape());
        return backward(layers, x, outputs, r, "sum(out * R), seed " + seed);
    }

    /** Explores a {@link Sequential}'s layers at input x, with R drawn from {@code Random(seed)}. */
    public static GradientTable explore(Sequential net, Tensor x, long seed) {
        return explore(net.layers(), x, seed);
    }

    /** Explores the layers at input x with L = sum(out * R), R standard normal from {@code Random(seed)}. */
    public static GradientTable explore(List<Layer> layers, Tensor x, long seed) {
        List<Tensor> outputs = forward(layers, x);
        Tensor r = Tensor.randn(seed, last(outputs, x).shape());
        return backward(layers, x, outputs, r, "sum(out * R), R seed " + seed);
    }

    /** Explores the layers at input x with a given dL/d(final output); dOut is not modified. */
    public static GradientTable explore(List<Layer> layers, Tensor x, Tensor dOut) {
        List<Tensor> outputs = forward(layers, x);
        Tensor out = last(outputs, x);
        if (!dOut.sameShape(out)) {
            throw new IllegalArgumentException("GradientExplorer: dOut has shape " + Shape.str(dOut.shape())
                    + " but the network's output is " + Shape.str(out.shape()));
        }
        return backward(layers, x, outputs, dOut, "given dOut (loss column is sum(out * dOut))");
    }

    private static List<Layer> layersOf(Layer net) {
        return net instanceof Sequential s ? s.layers() : List.of(net);
    }

    private static List<Tensor> forward(List<Layer> layers, Tensor x) {
        List<Tensor> outputs = new ArrayList<>();
        Tensor out = x;
        for (Layer layer : layers) {
            out = layer.forward(out);
            outputs.add(out);
        }
        return outputs;
    }

    private static Tensor last(List<Tensor> outputs, Tensor x) {
        return outputs.isEmpty() ? x : outputs.get(outputs.size() - 1);
    }

    private static GradientTable backward(List<Layer> layers, Tensor x, List<Tensor> outputs, Tensor dOut,
            String lossDescription) {
        double loss = dot(last(outputs, x), dOut);
        layers.forEach(Layer::zeroGrad);
        GradientTable.Row[] rows = new GradientTable.Row[layers.size()];
        Tensor grad = dOut.copy();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            Tensor out = outputs.get(i);
            double gradNorm = grad.norm();
            grad = layer.backward(grad);
            rows[i] = new GradientTable.Row(layer.toString(), out.shape(), layer.paramCount(), out.norm(), gradNorm,
                    paramGradNorm(layer));
        }
        GradientTable.Row input = new GradientTable.Row("input", x.shape(), 0, x.norm(), grad.norm(), 0.0);
        return new GradientTable(lossDescription, loss, input, List.of(rows));
    }

    private static double paramGradNorm(Layer layer) {
        double s = 0;
        for (Param p : layer.params()) {
            double n = p.grad().norm();
            s += n * n;
        }
        return Math.sqrt(s);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.data()[i] * b.data()[i];
        }
        return s;
    }
}
