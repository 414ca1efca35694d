package cnnkit.layers;

import cnnkit.engine.Engine;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.Random;

/**
 * Fully connected layer: {@code x (N, in) -> x W + b (N, out)}, weight (in, out), bias (out).
 * Cached by forward: the input x. The weight and bias are fields of {@link WeightedLayer}.
 *
 * <p>Backward: dW = x^T dOut, db = column sums of dOut, dX = dOut W^T.
 */
public class Dense extends WeightedLayer {
    private final int in;
    private final int out;
    /** The input of the most recent forward, for backward. */
    private Tensor input;

    public Dense(int in, int out) {
        this(in, out, new Random(Init.DEFAULT_SEED));
    }

    /** He-normal weights drawn from {@code rng}, zero bias. */
    public Dense(int in, int out, Random rng) {
        super(initialWeight(in, out, rng), out);
        this.in = in;
        this.out = out;
    }

    /** He-normal (in, out), after checking the sizes. */
    private static Tensor initialWeight(int in, int out, Random rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Dense: sizes must be positive, got in=" + in + " out=" + out);
        }
        return Init.heNormal(Init.requireRng("Dense", rng), in, in, out);
    }

    /**
     * {@code y[n, j] = b[j] + sum_i x[n, i] W[i, j]}: {@code x (N, in) -> (N, out)}; caches x.
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException(this + ": expected input (N, " + in + "), got " + Shape.str(x.shape())
                    + (x.rank() > 2 ? " (add a Flatten before it)" : ""));
        }
        this.input = x;
        if (usesEngine()) {
            return Engine.dense(x, weight.value(), bias.value());
        }
        Tensor w = weight.value();
        Tensor y = Tensor.zeros(x.dim(0), out);
        for (int n = 0; n < x.dim(0); n++) {
            for (int j = 0; j < out; j++) {
                double sum = bias.value().get(j);
                for (int i = 0; i < in; i++) {
                    sum += x.get(n, i) * w.get(i, j);
                }
                y.set(sum, n, j);
            }
        }
        return y;
    }

    /**
     * dW = x^T dOut, db = column sums of dOut, dX = dOut W^T.
     * {@code dOut (N, out) -> dX (N, in)}; adds into the weight and bias gradients.
     */
    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = requireForward(input);
        ShapeCheck.sameAs(this, "dOut", dOut, new int[] {x.dim(0), out});
        if (usesEngine()) {
            return Engine.denseBackward(x, weight.value(), dOut, weight.grad(), bias.grad());
        }
        Tensor w = weight.value();
        Tensor dx = Tensor.zeros(x.shape());
        for (int n = 0; n < x.dim(0); n++) {
            for (int j = 0; j < out; j++) {
                double g = dOut.get(n, j);
                bias.grad().addAt(g, j);
                for (int i = 0; i < in; i++) {
                    weight.grad().addAt(x.get(n, i) * g, i, j);
                    dx.addAt(g * w.get(i, j), n, i);
                }
            }
        }
        return dx;
    }

    @Override
    public String toString() {
        return "Dense(" + in + "->" + out + ")";
    }

    /** Any input size will do: the spatial size ends here. */
    @Override
    public int minInputSize(int outputSize) {
        return 1;
    }
}
