package cnnkit.layers;

import cnnkit.tensor.MatMul;
import cnnkit.tensor.Param;
import cnnkit.tensor.Shape;
import cnnkit.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * Fully connected layer: {@code x (N, in) -> x W + b (N, out)}, weight (in, out), bias (out).
 * Caches the input for backward.
 *
 * <p>Backward: dW = x^T dOut, db = column sums of dOut, dX = dOut W^T.
 */
public class Dense extends Layer {
    private final int in;
    private final int out;
    private final Param weight;
    private final Param bias;
    private Tensor input;

    public Dense(int in, int out) {
        this(in, out, new Random(Init.DEFAULT_SEED));
    }

    /** He-normal weights drawn from {@code rng}, zero bias. */
    public Dense(int in, int out, Random rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Dense: sizes must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Param("weight", Init.heNormal(rng, in, in, out));
        this.bias = new Param("bias", Tensor.zeros(out));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException(this + ": expected input (N, " + in + "), got " + Shape.str(x.shape())
                    + (x.rank() > 2 ? " (add a Flatten before it)" : ""));
        }
        input = x;
        int n = x.dim(0);
        Tensor y = Tensor.zeros(n, out);
        MatMul.multiply(x.data(), weight.value().data(), y.data(), n, in, out);
        double[] yd = y.data();
        double[] bd = bias.value().data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                yd[i * out + j] += bd[j];
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        Tensor x = cached(input, this);
        int n = x.dim(0);
        ShapeCheck.sameAs(this, "dOut", dOut, new int[] {n, out});
        MatMul.multiplyTransAAdd(x.data(), dOut.data(), weight.grad().data(), in, n, out);
        double[] gd = dOut.data();
        double[] dbd = bias.grad().data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < out; j++) {
                dbd[j] += gd[i * out + j];
            }
        }
        Tensor dx = Tensor.zeros(n, in);
        MatMul.multiplyTransBAdd(dOut.data(), weight.value().data(), dx.data(), n, out, in);
        return dx;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Dense(" + in + "->" + out + ")";
    }
}
